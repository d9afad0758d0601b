// Schema creation: dependency ordering of tables and running their DDL.
#include "orm/schema.hpp"

#include <algorithm>

#include "orm/connection.hpp"
#include "orm/error.hpp"

namespace orm {

std::vector<const table_info*> dependency_order(std::vector<const table_info*> tables, bool tolerate_cycles) {
    std::vector<const table_info*> ordered;
    std::vector<int> state(tables.size(), 0);  // 0 new, 1 visiting, 2 done
    auto position = [&](const table_info* t) -> std::size_t {
        for (std::size_t i = 0; i < tables.size(); ++i)
            if (tables[i]->type == t->type) return i;
        return tables.size();
    };
    auto visit = [&](auto& self, std::size_t i) -> void {
        if (state[i] == 2) return;
        if (state[i] == 1) {
            if (tolerate_cycles) return;  // the database's constraints decide, as for rows in any order
            throw mapping_error("orm: foreign keys form a cycle through table '" + tables[i]->name + "'");
        }
        state[i] = 1;
        for (const foreign_key_info& fk : tables[i]->foreign_keys) {
            const std::size_t j = position(&fk.target());
            if (j != tables.size() && j != i) self(self, j);
        }
        state[i] = 2;
        ordered.push_back(tables[i]);
    };
    for (std::size_t i = 0; i < tables.size(); ++i) visit(visit, i);
    return ordered;
}

std::vector<std::string> create_all_ddl(const dialect& sql_dialect, const std::vector<const table_info*>& tables) {
    std::vector<std::string> ddl;
    for (const table_info* t : dependency_order(tables))
        for (std::string& statement : sql_dialect.create_table_ddl(*t, true)) ddl.push_back(std::move(statement));
    return ddl;
}

void create_tables(const engine& db, const std::vector<const table_info*>& tables) {
    connection conn = db.connect();
    for (const std::string& statement : create_all_ddl(db.sql_dialect(), tables)) conn.run_own_simple(statement);
}

void drop_tables(const engine& db, const std::vector<const table_info*>& tables) {
    auto ordered = dependency_order(tables);
    std::reverse(ordered.begin(), ordered.end());
    connection conn = db.connect();
    for (const table_info* t : ordered)
        conn.run_own_simple(db.sql_dialect().compile(sql::drop_table_statement{t->name, true}).text);
}

}  // namespace orm
