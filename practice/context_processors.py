from .site_chrome import site_chrome
from .structured_data import site_root_url


def chrome(request) -> dict:
    """The practice's details, the navigation and the site's address, for every template."""
    loaded = site_chrome(request)
    if loaded is None:
        return {}
    return {
        "practice": loaded.practice,
        "navigation": loaded,
        "site_url": site_root_url(request),
    }
