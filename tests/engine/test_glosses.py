"""Glosses: titles and leads translated into the pivot language by the installed models, kept
as derived state and used as an extra signal by grouping and search (see index/glossing.py)."""

from __future__ import annotations

import sqlite3

from newsreader.index import Library


def test_a_gloss_belongs_to_the_text_it_was_made_from(tmp_path):
    folder = tmp_path / "library"
    article = tmp_path / "a.txt"
    article.write_text("Putin ve Pezeşkiyan Aşkabat'ta görüştü.\n\nİki lider bölgesel gelişmeleri ele aldı.\n",
                       encoding="utf-8")
    with Library(folder) as library:
        (added,) = library.add([article], lang="tr").added
        stored = library.get(added)
        catalog = library._catalog
        with catalog.transaction():
            catalog.put_gloss(added, stored.content_hash, "tr>en 1.0", "Putin and Pezeshkian met in Ashgabat.")
        assert catalog.glosses([added]) == {added: "Putin and Pezeshkian met in Ashgabat."}
        article.write_text("Putin ve Pezeşkiyan Aşkabat'ta görüştü.\n\nİran ve Rusya işbirliği yapacak mı?\n",
                           encoding="utf-8")
        assert library.add([article], lang="tr").updated == [added]
        assert catalog.glosses([added]) == {}
    with sqlite3.connect(folder / "catalog.sqlite") as db:  # dropped, not only hidden
        assert db.execute("SELECT COUNT(*) FROM glosses").fetchone()[0] == 0
