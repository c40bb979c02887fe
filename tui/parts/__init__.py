"""The main screen's parts: each holds one kind of state, does its work in thread workers (the
engine is never called on the UI thread) and posts what it found as messages, which the
screen handles with `@on` to update its widgets.

    library_model.LibraryModel   the library: the articles under the filters, the events, the
                                 list's rows, marks, an article's language, glosses
    search.SearchController      the query in the search box: hits, pages of results, notes
    feeds.Feeds                  fetching the subscribed feeds
    adding.Adding                adding files and folders, subscribing to a feed's URL (the add dialog)
"""
