#pragma once
// Schema creation from models.
//
//   orm::create_all<Author, Book>(engine);   // CREATE TABLE IF NOT EXISTS ..., parents first
//   orm::drop_all<Author, Book>(engine);     // DROP TABLE IF EXISTS ..., children first
#include <vector>

#include "orm/engine.hpp"
#include "orm/mapping/table.hpp"

namespace orm {

/// Orders tables so that every table comes after the tables it references
/// (self-references are ignored). A cycle between tables is an
/// orm::mapping_error, or with `tolerate_cycles` keeps the given order for the tables in it.
std::vector<const table_info*> dependency_order(std::vector<const table_info*> tables, bool tolerate_cycles = false);

/// Every DDL statement that creates `tables` (in dependency order), for review or migration scripts.
std::vector<std::string> create_all_ddl(const dialect& sql_dialect, const std::vector<const table_info*>& tables);

/// Creates the tables, indexes and foreign keys (IF NOT EXISTS), in dependency order.
void create_tables(const engine& db, const std::vector<const table_info*>& tables);
/// Drops the tables (IF EXISTS), dependents first.
void drop_tables(const engine& db, const std::vector<const table_info*>& tables);

/// Creates the tables of the mapped types Ts; safe to run twice.
template <reflectable... Ts>
void create_all(const engine& db) {
    create_tables(db, {&table_of<Ts>()...});
}

/// Drops the tables of the mapped types Ts, in reverse dependency order.
template <reflectable... Ts>
void drop_all(const engine& db) {
    drop_tables(db, {&table_of<Ts>()...});
}

}  // namespace orm
