// The generic SQL compiler (orm::dialect): one implementation of every
// statement; backends override only the hooks where their SQL differs.
#include <type_traits>
#include <utility>

#include "orm/dialect/dialect.hpp"
#include "orm/error.hpp"

namespace orm {

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

std::vector<std::string> dialect::begin_statements(const begin_options& options) const {
    std::vector<std::string> out;
    if (options.isolation) {
        static constexpr const char* levels[] = {"READ UNCOMMITTED", "READ COMMITTED", "REPEATABLE READ", "SERIALIZABLE"};
        out.push_back(std::string("SET TRANSACTION ISOLATION LEVEL ") + levels[static_cast<int>(*options.isolation)]);
    }
    out.push_back(begin_sql());
    return out;
}

std::string dialect::savepoint_sql(std::string_view savepoint) const { return "SAVEPOINT " + quote_identifier(savepoint); }
std::string dialect::release_savepoint_sql(std::string_view savepoint) const {
    return "RELEASE SAVEPOINT " + quote_identifier(savepoint);
}
std::string dialect::rollback_to_savepoint_sql(std::string_view savepoint) const {
    return "ROLLBACK TO SAVEPOINT " + quote_identifier(savepoint);
}


std::string dialect::placeholder(std::size_t number) const {
    std::string out;
    append_placeholder(out, number);
    return out;
}

void dialect::append_placeholder(std::string& sql, std::size_t) const { sql += '?'; }

void dialect::append_parameter(render_context& ctx, value v) const {
    ctx.params.push_back(std::move(v));
    append_placeholder(ctx.sql, ctx.params.size());
}

void dialect::append_table(std::string& sql, const sql::table_ref& table) const {
    if (!table.schema.empty()) sql += quote_identifier(table.schema) + '.';
    sql += quote_identifier(table.name);
    if (!table.alias.empty()) sql += " AS " + quote_identifier(table.alias);
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

namespace {

const char* binary_text(sql::op o) {
    switch (o) {
        case sql::op::eq: return " = ";
        case sql::op::ne: return " <> ";
        case sql::op::lt: return " < ";
        case sql::op::le: return " <= ";
        case sql::op::gt: return " > ";
        case sql::op::ge: return " >= ";
        case sql::op::and_: return " AND ";
        case sql::op::or_: return " OR ";
        case sql::op::add: return " + ";
        case sql::op::sub: return " - ";
        case sql::op::mul: return " * ";
        case sql::op::div: return " / ";
        case sql::op::mod: return " % ";
        case sql::op::int_div: return " / ";
        case sql::op::concat: return " || ";
        case sql::op::like: return " LIKE ";
        case sql::op::not_like: return " NOT LIKE ";
        case sql::op::in: return " IN ";
        case sql::op::not_in: return " NOT IN ";
        default: break;
    }
    throw interface_error("orm: a unary operator in a binary node");
}

const char* function_text(sql::func f) {
    switch (f) {
        case sql::func::count: return "COUNT";
        case sql::func::count_distinct: return "COUNT";
        case sql::func::sum: return "SUM";
        case sql::func::avg: return "AVG";
        case sql::func::min: return "MIN";
        case sql::func::max: return "MAX";
        case sql::func::coalesce: return "COALESCE";
        case sql::func::nullif: return "NULLIF";
        case sql::func::round: return "ROUND";
        case sql::func::abs: return "ABS";
        case sql::func::lower: return "LOWER";
        case sql::func::upper: return "UPPER";
        case sql::func::length: return "CHAR_LENGTH";
        case sql::func::substr: return "SUBSTR";
        case sql::func::trim: return "TRIM";
        case sql::func::ltrim: return "LTRIM";
        case sql::func::rtrim: return "RTRIM";
        default: break;
    }
    return nullptr;
}

bool is_comparison_or_chain(const sql::expression& e) { return e.node() == sql::expression::kind::binary; }

}  // namespace

const char* dialect::operator_text(sql::op o) const { return binary_text(o); }

void dialect::append_list(render_context& ctx, const std::vector<sql::expression>& items) const {
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i) ctx.sql += ", ";
        append_expression(ctx, items[i]);
    }
}

void dialect::check_qualifier(const render_context& ctx, const sql::expression& column) const {
    if (column.qualifier().empty() || ctx.scopes.empty()) return;
    for (auto scope = ctx.scopes.rbegin(); scope != ctx.scopes.rend(); ++scope)
        for (const sql::table_ref* t : *scope)
            if (t->qualifier() == column.qualifier()) return;
    throw interface_error("orm: column " + column.qualifier() + "." + column.name() +
                          " names a table or alias that is not in the query (join it, or correlate the subquery to it)");
}

// a AND b AND c: a chain of one connective renders flat, its terms collected
// without recursion. A long chain renders as groups of at most 64 terms, each
// in parentheses (and groups of groups), so that however many terms a run-time
// predicate has, the database's parse tree stays a few levels deep (SQLite
// refuses an expression deeper than 1,000, and a parser stack deeper than 100).
void dialect::append_chain(render_context& ctx, const sql::expression& e, bool parenthesised) const {
    const sql::op connective = e.op();
    std::vector<const sql::expression*> terms, pending{&e};
    while (!pending.empty()) {
        const sql::expression* x = pending.back();
        pending.pop_back();
        if (x->node() == sql::expression::kind::binary && x->op() == connective) {
            pending.push_back(&x->operand(1));
            pending.push_back(&x->operand(0));
        } else {
            terms.push_back(x);
        }
    }
    if (parenthesised) ctx.sql += '(';
    append_terms(ctx, connective, terms.data(), terms.size());
    if (parenthesised) ctx.sql += ')';
}

void dialect::append_terms(render_context& ctx, sql::op connective, const sql::expression* const* terms, std::size_t count) const {
    constexpr std::size_t group = 64;
    if (count <= group) {
        for (std::size_t i = 0; i < count; ++i) {
            if (i) ctx.sql += binary_text(connective);
            append_expression(ctx, *terms[i]);
        }
        return;
    }
    const std::size_t size = (count + group - 1) / group;  // at most 64 groups of `size` terms
    for (std::size_t first = 0; first < count; first += size) {
        if (first) ctx.sql += binary_text(connective);
        ctx.sql += '(';
        append_terms(ctx, connective, terms + first, std::min(size, count - first));
        ctx.sql += ')';
    }
}

void dialect::append_expression(render_context& ctx, const sql::expression& e) const {
    using kind = sql::expression::kind;
    std::string& sql = ctx.sql;
    switch (e.node()) {
        case kind::column:
            check_qualifier(ctx, e);
            if (!e.qualifier().empty()) sql += quote_identifier(e.qualifier()) + '.';
            sql += quote_identifier(e.name());
            return;
        case kind::parameter: append_parameter(ctx, e.param()); return;
        case kind::unary:
            switch (e.op()) {
                case sql::op::not_:
                    sql += "NOT (";
                    append_expression(ctx, e.operand(0));
                    sql += ')';
                    return;
                case sql::op::negate:
                    sql += "(-";
                    append_expression(ctx, e.operand(0));
                    sql += ')';
                    return;
                case sql::op::is_null:
                case sql::op::is_not_null:
                    append_expression(ctx, e.operand(0));
                    sql += e.op() == sql::op::is_null ? " IS NULL" : " IS NOT NULL";
                    return;
                case sql::op::exists:
                case sql::op::not_exists:
                    sql += e.op() == sql::op::exists ? "EXISTS " : "NOT EXISTS ";
                    append_expression(ctx, e.operand(0));  // a subquery: parenthesised by itself
                    return;
                default: throw interface_error("orm: a binary operator in a unary node");
            }
        case kind::binary:
            if (e.op() == sql::op::and_ || e.op() == sql::op::or_) return append_chain(ctx, e, true);
            if (e.op() == sql::op::concat) return append_concat(ctx, e);
            return append_binary(ctx, e, true);
        case kind::function: append_function(ctx, e); return;
        case kind::list:
            sql += '(';
            append_list(ctx, e.operands());
            sql += ')';
            return;
        case kind::between:
            sql += '(';
            append_expression(ctx, e.operand(0));
            sql += " BETWEEN ";
            append_expression(ctx, e.operand(1));
            sql += " AND ";
            append_expression(ctx, e.operand(2));
            sql += ')';
            return;
        case kind::subquery: {
            const bool select_list = std::exchange(ctx.in_select_list, false);
            sql += '(';
            append_select(ctx, e.query());
            sql += ')';
            ctx.in_select_list = select_list;
            return;
        }
        case kind::star: sql += '*'; return;
        case kind::case_when:  // operands: when, then, when, then, ..., else
            sql += "CASE";
            for (std::size_t i = 0; i + 1 < e.operands().size(); i += 2) {
                sql += " WHEN ";
                append_condition(ctx, e.operands()[i]);
                sql += " THEN ";
                append_expression(ctx, e.operands()[i + 1]);
            }
            sql += " ELSE ";
            append_expression(ctx, e.operands().back());
            sql += " END";
            return;
        case kind::cast:
            sql += "CAST(";
            append_expression(ctx, e.operand(0));
            sql += " AS " + cast_type_name(e.type()) + ')';
            return;
        case kind::raw: {
            // Each `?` outside quotes is the next parameter, in this dialect's placeholder style.
            std::size_t next = 0;
            char quote = 0;
            for (char c : e.name()) {
                if (quote) {
                    if (c == quote) quote = 0;
                    sql += c;
                } else if (c == '\'' || c == '"' || c == '`') {
                    quote = c;
                    sql += c;
                } else if (c == '?') {
                    if (next == e.operands().size()) throw interface_error("orm: raw_sql has more ? than values");
                    append_expression(ctx, e.operands()[next++]);
                } else {
                    sql += c;
                }
            }
            if (next != e.operands().size()) throw interface_error("orm: raw_sql has fewer ? than values");
            return;
        }
    }
}

void dialect::append_function(render_context& ctx, const sql::expression& e) const {
    const sql::func f = e.function();
    switch (f) {
        case sql::func::count:
            ctx.sql += "COUNT(";
            if (e.operands().empty()) ctx.sql += '*';
            append_list(ctx, e.operands());
            ctx.sql += ')';
            return;
        case sql::func::count_distinct:
            ctx.sql += "COUNT(DISTINCT ";
            append_list(ctx, e.operands());
            ctx.sql += ')';
            return;
        case sql::func::year:
        case sql::func::month:
        case sql::func::day:
        case sql::func::hour:
        case sql::func::minute:
        case sql::func::second: append_date_part(ctx, f, e.operand(0)); return;
        case sql::func::current_timestamp: ctx.sql += "CURRENT_TIMESTAMP"; return;
        case sql::func::current_date: ctx.sql += "CURRENT_DATE"; return;
        case sql::func::generic: ctx.sql += e.name(); break;
        default: ctx.sql += function_text(f); break;
    }
    ctx.sql += '(';
    append_list(ctx, e.operands());
    ctx.sql += ')';
}

void dialect::append_date_part(render_context& ctx, sql::func part, const sql::expression& operand) const {
    static constexpr const char* names[] = {"YEAR", "MONTH", "DAY", "HOUR", "MINUTE", "SECOND"};
    ctx.sql += "EXTRACT(";
    ctx.sql += names[static_cast<int>(part) - static_cast<int>(sql::func::year)];
    ctx.sql += " FROM ";
    append_expression(ctx, operand);
    ctx.sql += ')';
}

void dialect::append_concat(render_context& ctx, const sql::expression& e) const {
    ctx.sql += '(';
    append_expression(ctx, e.operand(0));
    ctx.sql += " || ";
    append_expression(ctx, e.operand(1));
    ctx.sql += ')';
}

std::string dialect::cast_type_name(const sql::value_type& t) const {
    switch (t.kind) {
        case type_kind::boolean: return "BOOLEAN";
        case type_kind::integer: return "BIGINT";
        case type_kind::floating: return "DOUBLE PRECISION";
        case type_kind::text: return "TEXT";
        case type_kind::blob: return "BLOB";
        case type_kind::datetime: return "TIMESTAMP";
        case type_kind::date: return "DATE";
        case type_kind::time: return "TIME";
        case type_kind::decimal: return "DECIMAL(" + std::to_string(t.precision) + ", " + std::to_string(t.scale) + ")";
        case type_kind::json: return "JSON";
    }
    return "TEXT";
}

void dialect::append_lock(std::string& sql, const sql::lock_clause& lock) const {
    sql += lock.mode == sql::lock_clause::strength::update ? " FOR UPDATE" : " FOR SHARE";
    if (lock.wait == sql::lock_clause::waiting::nowait) sql += " NOWAIT";
    else if (lock.wait == sql::lock_clause::waiting::skip_locked) sql += " SKIP LOCKED";
}

void dialect::append_condition(render_context& ctx, const sql::expression& condition) const {
    if (!is_comparison_or_chain(condition)) return append_expression(ctx, condition);
    const sql::op o = condition.op();
    if (o == sql::op::and_ || o == sql::op::or_) return append_chain(ctx, condition, false);
    if (o == sql::op::concat) return append_expression(ctx, condition);
    append_binary(ctx, condition, false);  // a top-level comparison needs no parentheses of its own
}

void dialect::append_binary(render_context& ctx, const sql::expression& e, bool parenthesised) const {
    if (parenthesised) ctx.sql += '(';
    append_expression(ctx, e.operand(0));
    ctx.sql += operator_text(e.op());
    append_expression(ctx, e.operand(1));
    if ((e.op() == sql::op::like || e.op() == sql::op::not_like) && e.operands().size() > 2) {
        ctx.sql += " ESCAPE ";
        append_expression(ctx, e.operand(2));
    }
    if (parenthesised) ctx.sql += ')';
}

void dialect::append_where(render_context& ctx, const std::optional<sql::expression>& where) const {
    if (!where) return;
    ctx.sql += " WHERE ";
    append_condition(ctx, *where);
}

void dialect::append_upsert(std::string&, const sql::insert_statement&, const sql::upsert_clause&) const {
    throw interface_error("orm: the " + std::string(name()) + " dialect has no upsert");
}

void dialect::append_limit(std::string& sql, const sql::select_statement& s) const {
    if (s.offset) sql += " OFFSET " + std::to_string(*s.offset) + " ROWS";
    if (s.limit) sql += " FETCH FIRST " + std::to_string(*s.limit) + " ROWS ONLY";
}

void dialect::append_select(render_context& ctx, const sql::select_statement& s) const {
    // The tables of this SELECT, for the columns' qualifiers (its own first, then enclosing ones).
    std::vector<const sql::table_ref*> scope{&s.table};
    for (const sql::join_clause& j : s.joins) {
        for (const sql::table_ref* t : scope)
            if (t->qualifier() == j.table.qualifier())
                throw interface_error("orm: " + j.table.qualifier() + " appears twice in one query: give one of them an alias (orm::alias)");
        scope.push_back(&j.table);
    }
    ctx.scopes.push_back(std::move(scope));
    std::string& sql = ctx.sql;
    sql += s.distinct ? "SELECT DISTINCT " : "SELECT ";
    if (s.columns.empty()) sql += '*';
    const bool outer_list = std::exchange(ctx.in_select_list, true);
    append_list(ctx, s.columns);
    ctx.in_select_list = false;
    if (s.from_query) {
        sql += " FROM (";
        append_select(ctx, *s.from_query);
        sql += ") AS " + quote_identifier(s.table.qualifier());
    } else {
        sql += " FROM ";
        append_table(sql, s.table);
    }
    for (const sql::join_clause& j : s.joins) {
        sql += j.left ? " LEFT JOIN " : " JOIN ";
        append_table(sql, j.table);
        sql += " ON ";
        append_condition(ctx, j.on);
    }
    append_where(ctx, s.where);
    for (std::size_t i = 0; i < s.group_by.size(); ++i) {
        sql += i ? ", " : " GROUP BY ";
        append_expression(ctx, s.group_by[i]);
    }
    if (s.having) {
        sql += " HAVING ";
        append_condition(ctx, *s.having);
    }
    for (std::size_t i = 0; i < s.order_by.size(); ++i) {
        sql += i ? ", " : " ORDER BY ";
        append_expression(ctx, s.order_by[i].expr);
        if (s.order_by[i].descending) sql += " DESC";
    }
    append_limit(sql, s);
    if (s.lock) append_lock(sql, *s.lock);
    ctx.in_select_list = outer_list;
    ctx.scopes.pop_back();
}

compiled_sql dialect::compile_select(const sql::select_statement& s) const {
    compiled_sql out;
    out.returns_rows = true;
    render_context ctx{out.text, out.params, {}};
    append_select(ctx, s);
    return out;
}

compiled_sql dialect::compile_insert(const sql::insert_statement& s) const {
    compiled_sql out;
    out.text = "INSERT INTO ";
    append_table(out.text, s.table);
    if (s.columns.empty()) {
        out.text += default_values_clause();
        return out;
    }
    out.text += " (" + quote_list(s.columns) + ") VALUES ";
    out.text.reserve(out.text.size() + s.rows.size() * (s.columns.size() * 3 + 4));
    render_context ctx{out.text, out.params, {}};
    out.params.reserve(s.rows.size() * s.columns.size());
    for (std::size_t r = 0; r < s.rows.size(); ++r) {
        if (s.rows[r].size() != s.columns.size())
            throw interface_error("orm: an INSERT row has " + std::to_string(s.rows[r].size()) + " values for " +
                                  std::to_string(s.columns.size()) + " columns");
        out.text += r ? ", (" : "(";
        for (std::size_t c = 0; c < s.columns.size(); ++c) {
            if (c) out.text += ", ";
            append_parameter(ctx, s.rows[r][c]);
        }
        out.text += ')';
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
    out.text = "UPDATE ";
    append_table(out.text, s.table);
    out.text += " SET ";
    render_context ctx{out.text, out.params, {{&s.table}}};
    for (std::size_t i = 0; i < s.assignments.size(); ++i) {
        if (i) out.text += ", ";
        out.text += quote_identifier(s.assignments[i].first) + " = ";
        append_expression(ctx, s.assignments[i].second);
    }
    append_where(ctx, s.where);
    return out;
}

compiled_sql dialect::compile_delete(const sql::delete_statement& s) const {
    compiled_sql out;
    out.text = "DELETE FROM ";
    append_table(out.text, s.table);
    render_context ctx{out.text, out.params, {{&s.table}}};
    append_where(ctx, s.where);
    return out;
}

std::string dialect::column_definition(const table_info& table, const column_info& column) const {
    std::string def = quote_identifier(column.name) + ' ' + column_type_in(table, column);
    if (std::string collation = column_collation(column); !collation.empty()) def += " COLLATE " + collation;
    if (!column.nullable) def += " NOT NULL";
    if (column.auto_increment) def += ' ' + auto_increment_clause();
    if (column.unique) def += " UNIQUE";
    if (!column.server_default.empty()) def += " DEFAULT " + column.server_default;
    if (std::string check = column_check(column); !check.empty()) def += ' ' + check;
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
    out.text += ")" + table_options(table);
    return out;
}

compiled_sql dialect::compile_drop_table(const sql::drop_table_statement& s) const {
    compiled_sql out{s.if_exists ? "DROP TABLE IF EXISTS " : "DROP TABLE ", {}};
    append_table(out.text, s.table);
    return out;
}

compiled_sql dialect::compile_create_index(const sql::create_index_statement& s) const {
    std::string text = s.unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ";
    if (s.if_not_exists) text += "IF NOT EXISTS ";
    text += quote_identifier(s.name) + " ON ";
    append_table(text, s.table);
    text += " (" + quote_list(s.columns) + ")";
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
