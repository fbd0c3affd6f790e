"""The admin's search backend on PostgreSQL: modelsearch's tsvector backend,
analysed."""

from __future__ import annotations

from django.db.models.sql.subqueries import InsertQuery
from modelsearch.backends.database.postgres import postgres as postgres_backend
from modelsearch.utils import get_content_type_pk

from . import LessonAwareBackend, analysed_text, plain_text


class _AnalysingPostgresIndexer(postgres_backend.ObjectIndexer):
    def prepare_value(self, value):
        return analysed_text(plain_text(value))


class AnalysingPostgresIndex(postgres_backend.PostgresIndex):
    def add_items(self, model, objs):
        # modelsearch 1.3's PostgresIndex.add_items with the analysing indexer.
        if not model.get_search_fields():
            return
        indexers = [_AnalysingPostgresIndexer(obj, self.backend) for obj in objs]
        if not indexers:
            return
        index_entry = postgres_backend.IndexEntry
        content_type_pk = get_content_type_pk(model)
        compiler = InsertQuery(index_entry).get_compiler(
            connection=self.write_connection
        )
        rows, params = [], []
        for indexer in indexers:
            params.extend((content_type_pk, indexer.id))
            vectors = []
            for field_name in ("title", "autocomplete", "body"):
                value = compiler.prepare_value(
                    index_entry._meta.get_field(field_name),
                    getattr(indexer, field_name),
                )
                sql, value_params = value.as_sql(compiler, self.write_connection)
                vectors.append(sql)
                params.extend(value_params)
            params.extend((indexer.title_text, indexer.body_text))
            rows.append(f"(%s, %s, {', '.join(vectors)}, 1.0, %s, %s)")
        with self.write_connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {index_entry._meta.db_table} "  # noqa: S608
                "(content_type_id, object_id, title, autocomplete, body, "
                f"title_norm, title_text, body_text) (VALUES {', '.join(rows)}) "
                "ON CONFLICT (content_type_id, object_id) "
                "DO UPDATE SET title = EXCLUDED.title, title_norm = 1.0, "
                "autocomplete = EXCLUDED.autocomplete, body = EXCLUDED.body, "
                "title_text = EXCLUDED.title_text, body_text = EXCLUDED.body_text",
                params,
            )
        self._refresh_title_norms()


class PostgresAdminSearchBackend(
    LessonAwareBackend, postgres_backend.PostgresSearchBackend
):
    index_class = AnalysingPostgresIndex
