"""The order database: tables, the JSON importer and buyer-scoped reads."""
