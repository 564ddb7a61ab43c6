"""Imports a generated SQLAlchemy models module and compiles its DDL for PostgreSQL, so that
SQLAlchemy itself judges the export. Prints the number of tables; raises on any problem."""
import importlib.util
import sys

from sqlalchemy.dialects import postgresql
from sqlalchemy.schema import CreateIndex, CreateTable

spec = importlib.util.spec_from_file_location("models", sys.argv[1])
module = importlib.util.module_from_spec(spec)
sys.modules["models"] = module
spec.loader.exec_module(module)
for table in module.Base.metadata.sorted_tables:
    str(CreateTable(table).compile(dialect=postgresql.dialect()))
    for index in table.indexes:
        str(CreateIndex(index).compile(dialect=postgresql.dialect()))
print(len(module.Base.metadata.tables))
