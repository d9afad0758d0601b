// The statement AST's node factories (orm/sql/statement.hpp).
#include "orm/sql/statement.hpp"

#include <algorithm>

#include "orm/error.hpp"

namespace orm::sql {

value_type type_of(const column_info& column) {
    value_type t = value_type::of(column.type.kind);
    t.is_unsigned = column.type.is_unsigned;
    t.fraction_digits = column.type.fraction_digits;
    if (column.type.kind == type_kind::decimal) {
        t.precision = column.precision;
        t.scale = column.scale;
    }
    return t;
}

namespace {
// Precision and scale of an operand in decimal arithmetic (an integer is DECIMAL(19, 0)).
std::pair<int, int> decimal_digits(const value_type& t) {
    if (t.is(type_kind::decimal)) return {t.precision ? t.precision : 65, t.scale};
    return {19, 0};
}
value_type capped_decimal(int precision, int scale) {
    scale = std::min(scale, 38);
    precision = std::clamp(precision, std::max(scale, 1), 65);
    return value_type::decimal(static_cast<std::uint8_t>(precision), static_cast<std::uint8_t>(scale));
}
}  // namespace

value_type arithmetic_type(op o, const value_type& a, const value_type& b) {
    if (a.is(type_kind::floating) || b.is(type_kind::floating)) return value_type::of(type_kind::floating);
    if (o == op::int_div || !(a.is(type_kind::decimal) || b.is(type_kind::decimal))) return value_type::of(type_kind::integer);
    const auto [p1, s1] = decimal_digits(a);
    const auto [p2, s2] = decimal_digits(b);
    switch (o) {
        case op::add:
        case op::sub: {
            const int scale = std::max(s1, s2);
            return capped_decimal(std::max(p1 - s1, p2 - s2) + scale + 1, scale);
        }
        case op::mul: return capped_decimal(p1 + p2, s1 + s2);
        case op::div: return capped_decimal(p1 - s1 + s2 + s1 + 4, s1 + 4);
        default: return capped_decimal(std::max(p1, p2), std::max(s1, s2));
    }
}

value_type aggregate_type(func f, const value_type& arg) {
    if (arg.is(type_kind::floating) || !arg.known) return arg;
    const auto [p, s] = decimal_digits(arg);
    if (f == func::avg) return capped_decimal(p + 4, s + 4);
    if (f == func::sum && arg.is(type_kind::decimal)) return capped_decimal(p + 22, s);
    return arg;
}

expression::expression() : node_(std::make_shared<const node_data>()) {}

expression expression::make(node_data data) { return expression(std::make_shared<const node_data>(std::move(data))); }

expression expression::column(std::string column_name, value_type type) { return column(std::string(), std::move(column_name), type); }

expression expression::column(std::string qualifier, std::string column_name, value_type type) {
    node_data n;
    n.kind_ = kind::column;
    n.qualifier_ = std::move(qualifier);
    n.name_ = std::move(column_name);
    n.type_ = type;
    return make(std::move(n));
}

expression expression::column(const std::string& qualifier, const column_info& c) { return column(qualifier, c.name, type_of(c)); }

expression expression::parameter(value v, value_type type) {
    node_data n;
    n.kind_ = kind::parameter;
    n.param_ = std::move(v);
    n.type_ = type;
    return make(std::move(n));
}

expression expression::binary(sql::op o, expression left, expression right, value_type type) {
    node_data n;
    n.kind_ = kind::binary;
    n.code_ = static_cast<std::uint8_t>(o);
    n.type_ = type;
    n.operands_.reserve(2);
    n.operands_.push_back(std::move(left));
    n.operands_.push_back(std::move(right));
    return make(std::move(n));
}

expression expression::unary(sql::op o, expression operand, value_type type) {
    node_data n;
    n.kind_ = kind::unary;
    n.code_ = static_cast<std::uint8_t>(o);
    n.type_ = type;
    n.operands_.push_back(std::move(operand));
    return make(std::move(n));
}

expression expression::function(sql::func f, std::vector<expression> args, value_type type) {
    if (f == func::generic) throw interface_error("orm: a function called by name is made with expression::call(name, args)");
    node_data n;
    n.kind_ = kind::function;
    n.code_ = static_cast<std::uint8_t>(f);
    n.type_ = type;
    n.operands_ = std::move(args);
    return make(std::move(n));
}

expression expression::call(std::string name, std::vector<expression> args, value_type type) {
    // The name is spliced into the SQL, so it must be a plain identifier.
    bool ok = !name.empty() && !(name[0] >= '0' && name[0] <= '9');
    for (char c : name) ok = ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_');
    if (!ok) throw interface_error("orm: a function name must be an identifier (letters, digits and '_', not starting with a digit)");
    node_data n;
    n.kind_ = kind::function;
    n.code_ = static_cast<std::uint8_t>(func::generic);
    n.name_ = std::move(name);
    n.type_ = type;
    n.operands_ = std::move(args);
    return make(std::move(n));
}

expression expression::list(std::vector<expression> items) {
    node_data n;
    n.kind_ = kind::list;
    n.operands_ = std::move(items);
    return make(std::move(n));
}

expression expression::between(expression operand, expression low, expression high) {
    node_data n;
    n.kind_ = kind::between;
    n.type_ = value_type::of(type_kind::boolean);
    n.operands_ = {std::move(operand), std::move(low), std::move(high)};
    return make(std::move(n));
}

expression expression::like(expression operand, expression pattern, std::optional<expression> escape, bool negated) {
    node_data n;
    n.kind_ = kind::binary;
    n.code_ = static_cast<std::uint8_t>(negated ? op::not_like : op::like);
    n.type_ = value_type::of(type_kind::boolean);
    n.operands_ = {std::move(operand), std::move(pattern)};
    if (escape) n.operands_.push_back(std::move(*escape));
    return make(std::move(n));
}

expression expression::subquery(select_statement query, value_type type) {
    node_data n;
    n.kind_ = kind::subquery;
    n.type_ = type;
    n.query_ = std::make_shared<const select_statement>(std::move(query));
    return make(std::move(n));
}

expression expression::star() {
    node_data n;
    n.kind_ = kind::star;
    return make(std::move(n));
}

expression expression::case_when(std::vector<std::pair<expression, expression>> branches, expression otherwise, value_type type) {
    if (branches.empty()) throw interface_error("orm: a CASE needs at least one WHEN branch");
    node_data n;
    n.kind_ = kind::case_when;
    n.type_ = type;
    n.operands_.reserve(branches.size() * 2 + 1);
    for (auto& [when, then] : branches) {
        n.operands_.push_back(std::move(when));
        n.operands_.push_back(std::move(then));
    }
    n.operands_.push_back(std::move(otherwise));
    return make(std::move(n));
}

expression expression::cast(expression operand, value_type target) {
    if (!target.known) throw interface_error("orm: CAST needs a target type");
    node_data n;
    n.kind_ = kind::cast;
    n.type_ = target;
    n.operands_.push_back(std::move(operand));
    return make(std::move(n));
}

expression expression::raw(std::string text, std::vector<expression> params, value_type type) {
    node_data n;
    n.kind_ = kind::raw;
    n.name_ = std::move(text);
    n.type_ = type;
    n.operands_ = std::move(params);
    return make(std::move(n));
}

std::vector<expression> columns_of(const table_info& table, const std::string& qualifier) {
    std::vector<expression> out;
    out.reserve(table.columns.size());
    for (const column_info& c : table.columns) out.push_back(expression::column(qualifier, c));
    return out;
}

select_statement select_columns_of(const table_info& table) { return select_columns_of(table, table.name); }

select_statement select_columns_of(const table_info& table, const std::string& qualifier) {
    select_statement select;
    select.table = qualifier == table.name ? table_ref(table.name) : table_ref(table.name, qualifier);
    select.columns = columns_of(table, qualifier);
    return select;
}

expression key_equals(const table_info& table, std::span<const value> key) {
    if (key.size() != table.primary_key.size())
        throw interface_error("orm: " + table.name + " has a key of " + std::to_string(table.primary_key.size()) + " columns; " +
                              std::to_string(key.size()) + " values were given");
    std::vector<expression> terms;
    for (std::size_t k = 0; k < table.primary_key.size(); ++k) {
        const column_info& c = table.columns[table.primary_key[k]];
        terms.push_back(expression::binary(op::eq, expression::column(table.name, c), expression::parameter(key[k], type_of(c))));
    }
    return *all_of(std::move(terms));
}

std::optional<expression> all_of(std::vector<expression> terms) {
    if (terms.empty()) return std::nullopt;
    expression result = std::move(terms[0]);
    for (std::size_t i = 1; i < terms.size(); ++i) result = expression::binary(op::and_, std::move(result), std::move(terms[i]));
    return result;
}

}  // namespace orm::sql
