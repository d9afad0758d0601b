// The generic SQL compiler (orm::dialect): one implementation of every
// statement; backends override only the hooks where their SQL differs.
#include <type_traits>

#include "orm/dialect/dialect.hpp"
#include "orm/error.hpp"

namespace orm {

namespace sql {

expression expression::column(std::string column_name) {
    expression e;
    e.node = kind::column;
    e.name = std::move(column_name);
    return e;
}

expression expression::column(std::string table_name, std::string column_name) {
    expression e = column(std::move(column_name));
    e.table = std::move(table_name);
    return e;
}

expression expression::function(std::string name, std::vector<expression> args) {
    expression e;
    e.node = kind::function;
    e.op = std::move(name);
    e.operands = std::move(args);
    return e;
}

expression expression::list(std::vector<expression> items) {
    expression e;
    e.node = kind::list;
    e.operands = std::move(items);
    return e;
}

expression expression::between(expression operand, expression low, expression high) {
    expression e;
    e.node = kind::between;
    e.operands = {std::move(operand), std::move(low), std::move(high)};
    return e;
}

expression expression::like_escape(expression operand, expression pattern, expression escape) {
    expression e = between(std::move(operand), std::move(pattern), std::move(escape));
    e.node = kind::like_escape;
    return e;
}

expression expression::subquery(select_statement query) {
    expression e;
    e.node = kind::subquery;
    e.query = std::make_shared<const select_statement>(std::move(query));
    return e;
}

expression expression::star() {
    expression e;
    e.node = kind::star;
    return e;
}

expression expression::case_when(std::vector<std::pair<expression, expression>> branches, expression otherwise) {
    if (branches.empty()) throw interface_error("orm: a CASE needs at least one WHEN branch");
    expression e;
    e.node = kind::case_when;
    for (auto& [when, then] : branches) {
        e.operands.push_back(std::move(when));
        e.operands.push_back(std::move(then));
    }
    e.operands.push_back(std::move(otherwise));
    return e;
}

expression expression::parameter(value v) {
    expression e;
    e.node = kind::parameter;
    e.param = std::move(v);
    return e;
}

expression expression::binary(std::string op, expression left, expression right) {
    expression e;
    e.node = kind::binary;
    e.op = std::move(op);
    e.operands.push_back(std::move(left));
    e.operands.push_back(std::move(right));
    return e;
}

expression expression::prefix(std::string op, expression operand) {
    expression e;
    e.node = kind::prefix;
    e.op = std::move(op);
    e.operands.push_back(std::move(operand));
    return e;
}

expression expression::postfix(std::string op, expression operand) {
    expression e;
    e.node = kind::postfix;
    e.op = std::move(op);
    e.operands.push_back(std::move(operand));
    return e;
}

select_statement select_columns_of(const table_info& table) {
    select_statement select;
    select.table = table.name;
    for (const column_info& c : table.columns) select.columns.push_back(expression::column(table.name, c.name));
    return select;
}

expression key_equals(const table_info& table, std::span<const value> key) {
    if (key.size() != table.primary_key.size())
        throw interface_error("orm: " + table.name + " has a key of " + std::to_string(table.primary_key.size()) + " columns; " +
                              std::to_string(key.size()) + " values were given");
    std::vector<expression> terms;
    for (std::size_t k = 0; k < table.primary_key.size(); ++k)
        terms.push_back(expression::binary("=", expression::column(table.name, table.columns[table.primary_key[k]].name),
                                           expression::parameter(key[k])));
    return *all_of(std::move(terms));
}

std::optional<expression> all_of(std::vector<expression> terms) {
    if (terms.empty()) return std::nullopt;
    expression result = std::move(terms[0]);
    for (std::size_t i = 1; i < terms.size(); ++i) result = expression::binary("AND", std::move(result), std::move(terms[i]));
    return result;
}

}  // namespace sql

namespace {

const char* action_sql(referential_action action) {
    switch (action) {
        case referential_action::restrict: return "RESTRICT";
        case referential_action::cascade: return "CASCADE";
        case referential_action::set_null: return "SET NULL";
        case referential_action::set_default: return "SET DEFAULT";
        case referential_action::no_action: break;
    }
    return "NO ACTION";
}

}  // namespace

bool version_at_least(std::string_view version, int major, int minor) {
    if (version.starts_with("5.5.5-")) version.remove_prefix(6);  // MariaDB's old-client prefix
    int parts[2] = {0, 0};
    std::size_t pos = 0;
    for (int& part : parts) {
        while (pos < version.size() && version[pos] >= '0' && version[pos] <= '9') part = part * 10 + (version[pos++] - '0');
        if (pos < version.size() && version[pos] == '.') ++pos;
    }
    return parts[0] > major || (parts[0] == major && parts[1] >= minor);
}

std::string dialect::quote_identifier(std::string_view identifier) const {
    if (identifier.empty()) throw interface_error("orm: an SQL identifier (table, column or index name) is empty");
    const char quote = identifier_quote();
    std::string out(1, quote);
    for (char c : identifier) {
        if (c == '\0') throw interface_error("orm: an SQL identifier contains a NUL byte");
        if (c == quote) out += quote;
        out += c;
    }
    out += quote;
    return out;
}

std::string dialect::quote_list(const std::vector<std::string>& names) const {
    std::string out;
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (i) out += ", ";
        out += quote_identifier(names[i]);
    }
    return out;
}

std::string dialect::savepoint_sql(std::string_view savepoint) const { return "SAVEPOINT " + quote_identifier(savepoint); }
std::string dialect::release_savepoint_sql(std::string_view savepoint) const {
    return "RELEASE SAVEPOINT " + quote_identifier(savepoint);
}
std::string dialect::rollback_to_savepoint_sql(std::string_view savepoint) const {
    return "ROLLBACK TO SAVEPOINT " + quote_identifier(savepoint);
}

compiled_sql dialect::compile(const sql::statement& statement) const {
    return std::visit(
        [this](const auto& s) -> compiled_sql {
            using S = std::decay_t<decltype(s)>;
            if constexpr (std::is_same_v<S, sql::select_statement>) return compile_select(s);
            else if constexpr (std::is_same_v<S, sql::insert_statement>) return compile_insert(s);
            else if constexpr (std::is_same_v<S, sql::update_statement>) return compile_update(s);
            else if constexpr (std::is_same_v<S, sql::delete_statement>) return compile_delete(s);
            else if constexpr (std::is_same_v<S, sql::create_table_statement>) return compile_create_table(s);
            else if constexpr (std::is_same_v<S, sql::drop_table_statement>) return compile_drop_table(s);
            else return compile_create_index(s);
        },
        statement);
}

void dialect::append_expression(std::string& sql, std::vector<value>& params, const sql::expression& e) const {
    using kind = sql::expression::kind;
    auto list = [&](const std::vector<sql::expression>& items) {
        for (std::size_t i = 0; i < items.size(); ++i) {
            if (i) sql += ", ";
            append_expression(sql, params, items[i]);
        }
    };
    switch (e.node) {
        case kind::column:
            if (!e.table.empty()) sql += quote_identifier(e.table) + '.';
            sql += quote_identifier(e.name);
            return;
        case kind::parameter:
            sql += '?';
            params.push_back(e.param);
            return;
        case kind::binary:
            sql += '(';
            append_expression(sql, params, e.operands.at(0));
            sql += ' ' + e.op + ' ';
            append_expression(sql, params, e.operands.at(1));
            sql += ')';
            return;
        case kind::prefix:
            if (e.operands.at(0).node == kind::subquery) {  // already parenthesised: EXISTS (SELECT ...)
                sql += e.op + ' ';
                append_expression(sql, params, e.operands[0]);
                return;
            }
            sql += e.op + " (";
            append_expression(sql, params, e.operands.at(0));
            sql += ')';
            return;
        case kind::postfix:
            append_expression(sql, params, e.operands.at(0));
            sql += ' ' + e.op;
            return;
        case kind::function:
            sql += e.op + '(';
            if (e.operands.empty()) sql += '*';
            list(e.operands);
            sql += ')';
            return;
        case kind::list:
            sql += '(';
            list(e.operands);
            sql += ')';
            return;
        case kind::between:
        case kind::like_escape:
            sql += '(';
            append_expression(sql, params, e.operands.at(0));
            sql += e.node == kind::between ? " BETWEEN " : " LIKE ";
            append_expression(sql, params, e.operands.at(1));
            sql += e.node == kind::between ? " AND " : " ESCAPE ";
            append_expression(sql, params, e.operands.at(2));
            sql += ')';
            return;
        case kind::subquery: {
            compiled_sql inner = compile_select(*e.query);
            sql += '(' + inner.text + ')';
            params.insert(params.end(), inner.params.begin(), inner.params.end());
            return;
        }
        case kind::star: sql += '*'; return;
        case kind::case_when:  // operands: when, then, when, then, ..., else
            sql += "CASE";
            for (std::size_t i = 0; i + 1 < e.operands.size(); i += 2) {
                sql += " WHEN ";
                append_condition(sql, params, e.operands[i]);
                sql += " THEN ";
                append_expression(sql, params, e.operands[i + 1]);
            }
            sql += " ELSE ";
            append_expression(sql, params, e.operands.back());
            sql += " END";
            return;
    }
}

void dialect::append_condition(std::string& sql, std::vector<value>& params, const sql::expression& condition) const {
    // A top-level binary node needs no parentheses of its own.
    if (condition.node == sql::expression::kind::binary) {
        append_expression(sql, params, condition.operands.at(0));
        sql += ' ' + condition.op + ' ';
        append_expression(sql, params, condition.operands.at(1));
    } else {
        append_expression(sql, params, condition);
    }
}

void dialect::append_where(std::string& sql, std::vector<value>& params, const std::optional<sql::expression>& where) const {
    if (!where) return;
    sql += " WHERE ";
    append_condition(sql, params, *where);
}

void dialect::append_upsert(std::string&, const sql::insert_statement&, const sql::upsert_clause&) const {
    throw interface_error("orm: the " + std::string(name()) + " dialect has no upsert");
}

void dialect::append_limit(std::string& sql, const sql::select_statement& s) const {
    if (s.offset) sql += " OFFSET " + std::to_string(*s.offset) + " ROWS";
    if (s.limit) sql += " FETCH FIRST " + std::to_string(*s.limit) + " ROWS ONLY";
}

compiled_sql dialect::compile_select(const sql::select_statement& s) const {
    compiled_sql out;
    out.returns_rows = true;
    std::string& sql = out.text;
    sql = s.distinct ? "SELECT DISTINCT " : "SELECT ";
    if (s.columns.empty()) sql += '*';
    for (std::size_t i = 0; i < s.columns.size(); ++i) {
        if (i) sql += ", ";
        append_expression(sql, out.params, s.columns[i]);
    }
    if (s.from_query) {
        compiled_sql inner = compile_select(*s.from_query);
        sql += " FROM (" + inner.text + ") AS " + quote_identifier(s.table);
        out.params.insert(out.params.end(), inner.params.begin(), inner.params.end());
    } else {
        sql += " FROM " + quote_identifier(s.table);
    }
    for (const sql::join_clause& j : s.joins) {
        sql += (j.left ? " LEFT JOIN " : " JOIN ") + quote_identifier(j.table) + " ON ";
        append_condition(sql, out.params, j.on);
    }
    append_where(sql, out.params, s.where);
    for (std::size_t i = 0; i < s.group_by.size(); ++i) {
        sql += i ? ", " : " GROUP BY ";
        append_expression(sql, out.params, s.group_by[i]);
    }
    if (s.having) {
        sql += " HAVING ";
        append_condition(sql, out.params, *s.having);
    }
    for (std::size_t i = 0; i < s.order_by.size(); ++i) {
        sql += i ? ", " : " ORDER BY ";
        append_expression(sql, out.params, s.order_by[i].expr);
        if (s.order_by[i].descending) sql += " DESC";
    }
    append_limit(sql, s);
    return out;
}

compiled_sql dialect::compile_insert(const sql::insert_statement& s) const {
    compiled_sql out;
    out.text = "INSERT INTO " + quote_identifier(s.table);
    if (s.columns.empty()) {
        out.text += default_values_clause();
        return out;
    }
    out.text += " (" + quote_list(s.columns) + ") VALUES ";
    std::string row_placeholders = "(";
    for (std::size_t i = 0; i < s.columns.size(); ++i) row_placeholders += i ? ", ?" : "?";
    row_placeholders += ')';
    for (std::size_t r = 0; r < s.rows.size(); ++r) {
        if (s.rows[r].size() != s.columns.size())
            throw interface_error("orm: an INSERT row has " + std::to_string(s.rows[r].size()) + " values for " +
                                  std::to_string(s.columns.size()) + " columns");
        if (r) out.text += ", ";
        out.text += row_placeholders;
        out.params.insert(out.params.end(), s.rows[r].begin(), s.rows[r].end());
    }
    if (s.on_conflict) append_upsert(out.text, s, *s.on_conflict);
    if (!s.returning.empty()) {
        if (!supports_returning()) throw interface_error("orm: this database does not support INSERT ... RETURNING");
        out.text += " RETURNING " + quote_list(s.returning);
        out.returns_rows = true;
    }
    return out;
}

compiled_sql dialect::compile_update(const sql::update_statement& s) const {
    if (s.assignments.empty()) throw interface_error("orm: an UPDATE needs at least one column to set");
    compiled_sql out;
    out.text = "UPDATE " + quote_identifier(s.table) + " SET ";
    for (std::size_t i = 0; i < s.assignments.size(); ++i) {
        if (i) out.text += ", ";
        out.text += quote_identifier(s.assignments[i].first) + " = ";
        append_expression(out.text, out.params, s.assignments[i].second);
    }
    append_where(out.text, out.params, s.where);
    return out;
}

compiled_sql dialect::compile_delete(const sql::delete_statement& s) const {
    compiled_sql out;
    out.text = "DELETE FROM " + quote_identifier(s.table);
    append_where(out.text, out.params, s.where);
    return out;
}

std::string dialect::column_definition(const table_info& table, const column_info& column) const {
    std::string def = quote_identifier(column.name) + ' ' + column_type(column);
    if (!column.nullable) def += " NOT NULL";
    if (column.auto_increment) def += ' ' + auto_increment_clause();
    if (column.unique) def += " UNIQUE";
    if (!column.server_default.empty()) def += " DEFAULT " + column.server_default;
    if (std::string check = column_check(column); !check.empty()) def += ' ' + check;
    (void)table;
    return def;
}

compiled_sql dialect::compile_create_table(const sql::create_table_statement& s) const {
    const table_info& table = *s.table;
    compiled_sql out;
    out.text = s.if_not_exists ? "CREATE TABLE IF NOT EXISTS " : "CREATE TABLE ";
    out.text += quote_identifier(table.name) + " (";
    for (std::size_t i = 0; i < table.columns.size(); ++i) {
        if (i) out.text += ", ";
        out.text += column_definition(table, table.columns[i]);
    }
    const column_info* serial = table.auto_increment_column();
    if (!(serial && auto_increment_declares_key())) {
        std::vector<std::string> key;
        for (std::size_t k : table.primary_key) key.push_back(table.columns[k].name);
        out.text += ", PRIMARY KEY (" + quote_list(key) + ")";
    }
    if (inline_indexes()) {
        for (const index_info& ix : table.indexes) {
            std::vector<std::string> cols;
            for (std::size_t c : ix.columns) cols.push_back(table.columns[c].name);
            out.text += ix.unique ? ", UNIQUE INDEX " : ", INDEX ";
            out.text += quote_identifier(ix.name) + " (" + quote_list(cols) + ")";
        }
    }
    for (const foreign_key_info& fk : table.foreign_keys) {
        const table_info& target = fk.target();
        std::vector<std::string> cols, target_cols;
        for (std::size_t c : fk.columns) cols.push_back(table.columns[c].name);
        for (std::size_t c : fk.target_columns) target_cols.push_back(target.columns[c].name);
        out.text += ", CONSTRAINT " + quote_identifier(fk.name) + " FOREIGN KEY (" + quote_list(cols) + ") REFERENCES " +
                    quote_identifier(target.name) + " (" + quote_list(target_cols) + ")";
        if (fk.on_delete != referential_action::no_action) out.text += std::string(" ON DELETE ") + action_sql(fk.on_delete);
        if (fk.on_update != referential_action::no_action) out.text += std::string(" ON UPDATE ") + action_sql(fk.on_update);
    }
    out.text += ")" + table_options();
    return out;
}

compiled_sql dialect::compile_drop_table(const sql::drop_table_statement& s) const {
    return {std::string(s.if_exists ? "DROP TABLE IF EXISTS " : "DROP TABLE ") + quote_identifier(s.table), {}};
}

compiled_sql dialect::compile_create_index(const sql::create_index_statement& s) const {
    std::string text = s.unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ";
    if (s.if_not_exists) text += "IF NOT EXISTS ";
    text += quote_identifier(s.name) + " ON " + quote_identifier(s.table) + " (" + quote_list(s.columns) + ")";
    return {text, {}};
}

std::vector<std::string> dialect::create_table_ddl(const table_info& table, bool if_not_exists) const {
    std::vector<std::string> ddl{compile(sql::create_table_statement{&table, if_not_exists}).text};
    if (!inline_indexes()) {
        for (const index_info& ix : table.indexes) {
            sql::create_index_statement ci{table.name, ix.name, {}, ix.unique, if_not_exists};
            for (std::size_t c : ix.columns) ci.columns.push_back(table.columns[c].name);
            ddl.push_back(compile(ci).text);
        }
    }
    return ddl;
}

}  // namespace orm
