"""Progress across visits: the PEG, three questions on pain and what it gets in the way of."""
