"""Feed subscriptions: the store (subscriptions.py), HTTP fetching (fetcher.py), turning a
fetched feed into prepared articles (items.py) and OPML import/export (opml.py). The library
facade (`Library.subscribe`, `Library.fetch`...) is the only way in."""
