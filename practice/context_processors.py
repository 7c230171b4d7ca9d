from .site_chrome import site_chrome


def chrome(request) -> dict:
    """``practice`` (the practice's details) and ``navigation`` for every template."""
    loaded = site_chrome(request)
    if loaded is None:
        return {}
    return {"practice": loaded.practice, "navigation": loaded}
