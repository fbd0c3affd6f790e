"""The admin's search backend on SQLite: modelsearch's FTS5 backend, analysed."""

from __future__ import annotations

from modelsearch.backends.database.sqlite import sqlite as sqlite_backend
from modelsearch.utils import get_content_type_pk

from . import LessonAwareBackend, analysed_text, plain_text


class _AnalysingSQLiteIndexer(sqlite_backend.ObjectIndexer):
    def prepare_value(self, value):
        return analysed_text(plain_text(value))


class AnalysingSQLiteIndex(sqlite_backend.SQLiteIndex):
    def add_items(self, model, objs):
        # modelsearch 1.3's SQLiteIndex.add_items with the analysing indexer.
        if not model.get_search_fields():
            return
        indexers = [_AnalysingSQLiteIndexer(obj, self.backend) for obj in objs]
        if not indexers:
            return
        content_type_pk = get_content_type_pk(model)
        data = {
            indexer.id: (indexer.title, indexer.autocomplete, indexer.body)
            for indexer in indexers
        }
        entries = self.entries.filter(content_type_id=content_type_pk)
        indexed = frozenset(
            entries.filter(object_id__in=data.keys()).values_list(
                "object_id", flat=True
            )
        )
        for object_id in indexed:
            title, autocomplete, body = data[object_id]
            entries.filter(object_id=object_id).update(
                title=title, autocomplete=autocomplete, body=body
            )
        self.entries.bulk_create(
            [
                sqlite_backend.IndexEntry(
                    content_type_id=content_type_pk,
                    object_id=object_id,
                    title=title,
                    autocomplete=autocomplete,
                    body=body,
                )
                for object_id, (title, autocomplete, body) in data.items()
                if object_id not in indexed
            ]
        )
        self._refresh_title_norms()


class SQLiteAdminSearchBackend(LessonAwareBackend, sqlite_backend.SQLiteSearchBackend):
    index_class = AnalysingSQLiteIndex
