// The SQLite dialect: double-quote quoting, storage-class type names,
// INTEGER PRIMARY KEY AUTOINCREMENT, separate CREATE INDEX IF NOT EXISTS,
// foreign keys switched on per connection.
#include <algorithm>
#include <limits>
#include <optional>
#include <string>

#include "orm/decimal.hpp"
#include "orm/error.hpp"

#include "orm/dialect/dialect.hpp"

namespace orm {

namespace {

class sqlite_dialect final : public dialect {
public:
    std::string_view name() const override { return "sqlite"; }

    std::string column_type(const column_info& c) const override {
        const sql_type& t = c.type;
        switch (t.kind) {
            case type_kind::boolean: return "BOOLEAN";
            // 64-bit unsigned values above INT64_MAX are stored as their
            // two's-complement bits; the declared type tells the driver to read them back unsigned.
            case type_kind::integer: return t.is_unsigned && t.bytes == 8 && !c.auto_increment ? "BIGINT UNSIGNED" : "INTEGER";
            case type_kind::floating: return "REAL";
            case type_kind::text: return c.length ? "VARCHAR(" + std::to_string(c.length) + ")" : "TEXT";
            case type_kind::blob: return "BLOB";
            case type_kind::datetime:
            case type_kind::date: return "TEXT";  // ISO-8601 text, which sorts chronologically
            case type_kind::time: return "TEXT";  // [-]HH:MM:SS[.ffffff]
            // Exact decimals: the scaled integer value * 10^s (see below), wider ones as exact
            // text (SQLite's NUMERIC affinity would turn them into a lossy REAL).
            case type_kind::decimal:
                if (text_stored(c)) return "TEXT";
                return "SCALED_DECIMAL(" + std::to_string(c.precision) + ", " + std::to_string(c.scale) + ")";
            case type_kind::json: return "TEXT";  // with CHECK (json_valid(...)), see column_check
        }
        return "TEXT";
    }

    // ---- exact decimals ------------------------------------------------------------------
    // DECIMAL(p <= 18, s) is stored as the integer value * 10^s (SCALED_DECIMAL(p, s)),
    // so SQLite's own integer comparison, ordering, MIN, MAX and SUM are exact. Every
    // decimal-valued expression is rendered as such a scaled integer at its "natural"
    // scale; operands are brought to a common scale before they are compared or added;
    // a SELECT's result column turns the scaled integer back into exact text. A step
    // whose result could pass 18 digits is checked as it runs: if SQLite's integer
    // arithmetic overflowed into a REAL, the statement fails ("integer overflow")
    // instead of going on with an inexact value. DECIMAL(p > 18) stays exact text:
    // it may be read, written and compared with = and <>, and nothing else.

    /// What rendering needs to know of a decimal-valued expression.
    struct decimal_shape {
        int scale = 0;       ///< the scaled integer is value * 10^scale
        int digits = 19;     ///< a bound of the scaled integer's digits (> 18: may overflow)
        bool text = false;   ///< reads a DECIMAL(p > 18) column, stored as text
    };

    static constexpr int max_scaled_digits = 18;

    static bool is_decimal(const sql::expression& e) { return e.type().is(type_kind::decimal); }
    static bool is_floating(const sql::expression& e) { return e.type().is(type_kind::floating); }
    static std::string power_of_ten(int n) {
        std::string out(static_cast<std::size_t>(n) + 1, '0');  // built whole: "1" + std::string trips g++ 12's -Wrestrict at -O3
        out[0] = '1';
        return out;
    }
    static bool text_stored(const column_info& c) { return c.precision > max_scaled_digits; }

    /// The decimal value of a parameter, if it has one that is a number.
    static std::optional<decimal> parameter_number(const value& v) {
        if (const auto* text = std::get_if<std::string>(&v)) return decimal(*text);
        if (const auto* i = std::get_if<std::int64_t>(&v)) return decimal::from_integer(*i);
        if (const auto* u = std::get_if<std::uint64_t>(&v)) return decimal(std::to_string(*u));
        return std::nullopt;
    }

    static decimal_shape shape_of(const sql::expression& e) {
        using kind = sql::expression::kind;
        switch (e.node()) {
            case kind::column:
                if (is_decimal(e)) return {e.type().scale, e.type().precision, e.type().precision > max_scaled_digits};
                return {0, 19, false};
            case kind::parameter: {
                // A parameter given a column's type (SET, a key) is at that column's scale.
                const int typed_scale = is_decimal(e) ? e.type().scale : 0;
                if (const auto number = parameter_number(e.param())) {
                    const int scale = std::max(typed_scale, static_cast<int>(number->scale()));
                    return {scale, static_cast<int>(number->integer_digits()) + scale, false};
                }
                return {typed_scale, 1, false};
            }
            case kind::unary: return shape_of(e.operand(0));
            case kind::binary: {
                if (!is_decimal(e)) return {0, 19, false};
                const decimal_shape a = shape_of(e.operand(0)), b = shape_of(e.operand(1));
                const bool text = a.text || b.text;
                switch (e.op()) {
                    case sql::op::mul: return {a.scale + b.scale, a.digits + b.digits, text};
                    case sql::op::div: return {a.scale + 4, a.digits + b.scale + 4, text};
                    default: {
                        const int scale = std::max(a.scale, b.scale);
                        return {scale, std::max(a.digits + scale - a.scale, b.digits + scale - b.scale) + 1, text};
                    }
                }
            }
            case kind::function: {
                const decimal_shape arg = e.operands().empty() ? decimal_shape{} : shape_of(e.operand(0));
                switch (e.function()) {
                    case sql::func::sum: return {arg.scale, arg.digits + 22, arg.text};
                    case sql::func::avg: return {arg.scale + 4, arg.digits + 4, arg.text};
                    case sql::func::round: {
                        const auto digits = parameter_number(e.operand(1).param());
                        const int wanted = digits ? std::stoi(digits->to_string()) : 0;
                        return {std::clamp(wanted, 0, arg.scale), arg.digits, arg.text};
                    }
                    case sql::func::coalesce:
                    case sql::func::nullif: return common_shape(e.operands(), 0, 1);
                    default: return arg;
                }
            }
            case kind::case_when: {  // the THEN values and the ELSE value
                decimal_shape out = common_shape(e.operands(), 1, 2);
                const decimal_shape otherwise = shape_of(e.operands().back());
                const int scale = std::max(out.scale, otherwise.scale);
                return {scale, std::max(out.digits + scale - out.scale, otherwise.digits + scale - otherwise.scale), out.text || otherwise.text};
            }
            case kind::cast: return {e.type().scale, e.type().precision, false};
            case kind::subquery:
                return e.query().columns.empty() ? decimal_shape{} : shape_of(e.query().columns.front());
            default: return {is_decimal(e) ? e.type().scale : 0, 19, false};
        }
    }

    /// The common shape of operands[first], operands[first + step], ... (NULL parameters aside).
    static decimal_shape common_shape(const std::vector<sql::expression>& operands, std::size_t first, std::size_t step) {
        decimal_shape out{0, 1, false};
        for (std::size_t i = first; i < operands.size(); i += step) {
            if (operands[i].node() == sql::expression::kind::parameter && is_null(operands[i].param())) continue;
            const decimal_shape s = shape_of(operands[i]);
            const int scale = std::max(out.scale, s.scale);
            out = {scale, std::max(out.digits + scale - out.scale, s.digits + scale - s.scale), out.text || s.text};
        }
        return out;
    }

    [[noreturn]] static void refuse_text_decimal() {
        throw interface_error("orm: on SQLite a DECIMAL of more than 18 digits is stored as text, so it can be compared only with = "
                              "and <> (ordering, arithmetic and aggregates would compare text): declare orm::precision(p <= 18, s)");
    }

    /// Appends `inner`, checked for an overflow into floating point when `digits` > 18:
    /// orm_checked() (a function the SQLite driver registers) fails the statement with
    /// "integer overflow" where SQLite's integer arithmetic turned REAL.
    template <class Inner>
    void append_checked(render_context& ctx, int digits, const Inner& inner) const {
        if (digits <= max_scaled_digits) return inner();
        ctx.sql += "orm_checked(";
        inner();
        ctx.sql += ')';
    }

    /// Appends `e` (a decimal or an integer) as a scaled integer at scale `scale`.
    void append_scaled(render_context& ctx, const sql::expression& e, int scale) const {
        if (e.node() == sql::expression::kind::parameter) {
            if (is_null(e.param())) return append_parameter(ctx, e.param());
            const auto number = parameter_number(e.param());
            const auto scaled = number ? number->scaled(static_cast<std::size_t>(scale)) : std::nullopt;
            if (!scaled)
                throw data_error("orm: the decimal value " + (number ? number->to_string() : to_display_string(e.param())) +
                                 " does not fit a 64-bit integer at scale " + std::to_string(scale) + " (SQLite's exact decimals)");
            return append_parameter(ctx, value{*scaled});
        }
        const decimal_shape shape = shape_of(e);
        if (shape.text) refuse_text_decimal();
        const int more = scale - shape.scale;
        if (more <= 0) return append_natural(ctx, e);
        append_checked(ctx, shape.digits + more, [&] {
            ctx.sql += '(';
            append_natural(ctx, e);
            ctx.sql += " * " + power_of_ten(more) + ')';
        });
    }

    /// Appends an integer expression or a decimal one as its scaled integer at its natural scale.
    void append_natural_or_integer(render_context& ctx, const sql::expression& e) const {
        if (is_decimal(e)) return append_natural(ctx, e);
        dialect::append_expression(ctx, e);
    }

    /// Appends a decimal-valued expression as a REAL (for floating-point company).
    void append_real(render_context& ctx, const sql::expression& e) const {
        const decimal_shape shape = shape_of(e);
        if (shape.text) refuse_text_decimal();
        ctx.sql += "(CAST(";
        append_natural(ctx, e);
        ctx.sql += " AS REAL) / " + power_of_ten(shape.scale) + ")";
    }

    /// Appends the integer quotient n / d rounded half away from zero (NULL when d is
    /// 0): orm_rounded_div(), a function the SQLite driver registers.
    template <class N, class D>
    void append_rounded_quotient(render_context& ctx, const N& n, const D& d) const {
        ctx.sql += "orm_rounded_div(";
        n();
        ctx.sql += ", ";
        d();
        ctx.sql += ')';
    }

    /// Appends a decimal-valued expression as its scaled integer at its natural scale.
    void append_natural(render_context& ctx, const sql::expression& e) const {
        using kind = sql::expression::kind;
        const decimal_shape shape = shape_of(e);
        switch (e.node()) {
            case kind::column:
                if (shape.text) refuse_text_decimal();
                return dialect::append_expression(ctx, e);
            case kind::parameter: return append_scaled(ctx, e, shape.scale);
            case kind::unary:
                if (e.op() != sql::op::negate) break;
                ctx.sql += "(-";
                append_natural(ctx, e.operand(0));
                ctx.sql += ')';
                return;
            case kind::binary: {
                const sql::expression& a = e.operand(0);
                const sql::expression& b = e.operand(1);
                if (shape.text) refuse_text_decimal();
                switch (e.op()) {
                    case sql::op::add:
                    case sql::op::sub:
                        return append_checked(ctx, shape.digits, [&] {
                            ctx.sql += '(';
                            append_scaled(ctx, a, shape.scale);
                            ctx.sql += e.op() == sql::op::add ? " + " : " - ";
                            append_scaled(ctx, b, shape.scale);
                            ctx.sql += ')';
                        });
                    case sql::op::mul:
                        return append_checked(ctx, shape.digits, [&] {
                            ctx.sql += '(';
                            append_natural_or_integer(ctx, a);
                            ctx.sql += " * ";
                            append_natural_or_integer(ctx, b);
                            ctx.sql += ')';
                        });
                    case sql::op::div: {
                        // a / b at a's scale + 4: (A * 10^(b's scale + 4)) / B, rounded.
                        const int shift = shape_of(b).scale + 4;
                        auto numerator = [&] {
                            ctx.sql += '(';
                            append_natural_or_integer(ctx, a);
                            ctx.sql += " * " + power_of_ten(shift) + ')';
                        };
                        auto denominator = [&] { append_natural_or_integer(ctx, b); };
                        append_rounded_quotient(ctx, [&] { append_checked(ctx, (is_decimal(a) ? shape_of(a).digits : 19) + shift, numerator); },
                                                denominator);
                        return;
                    }
                    default: break;
                }
                break;
            }
            case kind::function: {
                const sql::func f = e.function();
                if (shape.text && f != sql::func::count && f != sql::func::count_distinct) refuse_text_decimal();
                switch (f) {
                    case sql::func::sum:
                    case sql::func::min:
                    case sql::func::max:
                    case sql::func::abs:
                        ctx.sql += f == sql::func::sum ? "SUM(" : f == sql::func::min ? "MIN(" : f == sql::func::max ? "MAX(" : "ABS(";
                        append_natural_or_integer(ctx, e.operand(0));
                        ctx.sql += ')';
                        return;
                    case sql::func::avg: {
                        // SUM * 10^4 / COUNT, rounded half away from zero (MariaDB's AVG of exact values).
                        const sql::expression& x = e.operand(0);
                        const int arg_digits = is_decimal(x) ? shape_of(x).digits : 19;
                        auto numerator = [&] {
                            ctx.sql += "(SUM(";
                            append_natural_or_integer(ctx, x);
                            ctx.sql += ") * 10000)";
                        };
                        auto count = [&] {
                            ctx.sql += "COUNT(";
                            append_natural_or_integer(ctx, x);
                            ctx.sql += ')';
                        };
                        append_rounded_quotient(ctx, [&] { append_checked(ctx, arg_digits + 22 + 4, numerator); }, count);
                        return;
                    }
                    case sql::func::round: {
                        const int from = shape_of(e.operand(0)).scale;
                        if (shape.scale >= from) return append_natural(ctx, e.operand(0));
                        const std::string unit = power_of_ten(from - shape.scale);
                        auto x = [&] { append_natural(ctx, e.operand(0)); };
                        auto divisor = [&] { ctx.sql += unit; };
                        append_rounded_quotient(ctx, x, divisor);
                        return;
                    }
                    case sql::func::coalesce:
                    case sql::func::nullif:
                        ctx.sql += f == sql::func::coalesce ? "COALESCE(" : "NULLIF(";
                        for (std::size_t i = 0; i < e.operands().size(); ++i) {
                            if (i) ctx.sql += ", ";
                            append_scaled(ctx, e.operand(i), shape.scale);
                        }
                        ctx.sql += ')';
                        return;
                    default: break;
                }
                break;
            }
            case kind::case_when:
                ctx.sql += "CASE";
                for (std::size_t i = 0; i + 1 < e.operands().size(); i += 2) {
                    ctx.sql += " WHEN ";
                    append_condition(ctx, e.operands()[i]);
                    ctx.sql += " THEN ";
                    append_scaled(ctx, e.operands()[i + 1], shape.scale);
                }
                ctx.sql += " ELSE ";
                append_scaled(ctx, e.operands().back(), shape.scale);
                ctx.sql += " END";
                return;
            case kind::cast: {
                const sql::expression& x = e.operand(0);
                const int scale = e.type().scale;
                if (e.type().precision > max_scaled_digits)
                    throw interface_error("orm: on SQLite a CAST to DECIMAL of more than 18 digits has no exact form: declare at most 18");
                if (is_floating(x)) {
                    if (e.type().precision > 15)
                        throw interface_error("orm: on SQLite a CAST of a floating-point value to DECIMAL of more than 15 digits is not exact");
                    ctx.sql += "CAST(round(";
                    dialect::append_expression(ctx, x);
                    ctx.sql += " * " + power_of_ten(scale) + ") AS INTEGER)";
                    return;
                }
                if (x.type().is(type_kind::integer)) return append_scaled(ctx, x, scale);
                if (!is_decimal(x)) throw interface_error("orm: on SQLite only numbers can be CAST to an exact DECIMAL");
                const decimal_shape from = shape_of(x);
                if (from.scale <= scale) return append_scaled(ctx, x, scale);
                const std::string unit = power_of_ten(from.scale - scale);
                auto value_of = [&] { append_natural(ctx, x); };
                auto divisor = [&] { ctx.sql += unit; };
                append_rounded_quotient(ctx, value_of, divisor);
                return;
            }
            case kind::subquery: return dialect::append_expression(ctx, e);  // its column renders natural
            default: break;
        }
        // Anything else (a function by name, raw SQL) is left as it is.
        dialect::append_expression(ctx, e);
    }

    /// Appends a scaled integer at `scale` as its exact decimal text (a result column):
    /// orm_decimal_text(), a function the SQLite driver registers, which passes a value
    /// that is not an integer (a NUMERIC column another tool filled) on as it is.
    void append_decimal_text(render_context& ctx, const sql::expression& e, int scale) const {
        ctx.sql += "orm_decimal_text(";
        append_natural(ctx, e);
        ctx.sql += ", " + std::to_string(scale) + ')';
    }

    /// A comparison (or IN, BETWEEN) with decimal operands: all at one scale, or as REALs
    /// beside a floating-point operand; text-stored decimals only for = and <>.
    void append_decimal_comparison(render_context& ctx, const sql::expression& e, const std::vector<const sql::expression*>& operands,
                                   bool parenthesised) const {
        bool floating = false, text = false;
        int scale = 0;
        for (const sql::expression* x : operands) {
            floating = floating || is_floating(*x);
            if (!is_decimal(*x) && !(x->node() == sql::expression::kind::parameter && parameter_number(x->param()))) continue;
            const decimal_shape s = shape_of(*x);
            text = text || s.text;
            scale = std::max(scale, s.scale);
        }
        if (text) {
            const bool equality = e.node() == sql::expression::kind::binary &&
                                  (e.op() == sql::op::eq || e.op() == sql::op::ne || e.op() == sql::op::in || e.op() == sql::op::not_in);
            if (!equality) refuse_text_decimal();
            // Exact text against exact text: orm writes a decimal's canonical text, and binds the same.
            if (parenthesised) ctx.sql += '(';
            dialect::append_expression(ctx, e.operand(0));
            ctx.sql += operator_text(e.op());
            if (e.operand(1).node() == sql::expression::kind::list) {
                ctx.sql += '(';
                for (std::size_t i = 0; i < e.operand(1).operands().size(); ++i) {
                    if (i) ctx.sql += ", ";
                    dialect::append_expression(ctx, e.operand(1).operands()[i]);
                }
                ctx.sql += ')';
            } else {
                dialect::append_expression(ctx, e.operand(1));
            }
            if (parenthesised) ctx.sql += ')';
            return;
        }
        auto one = [&](const sql::expression& x) {
            if (x.node() == sql::expression::kind::parameter && is_null(x.param())) return append_parameter(ctx, x.param());
            if (floating) {
                if (is_decimal(x)) return append_real(ctx, x);
                return dialect::append_expression(ctx, x);
            }
            append_scaled(ctx, x, scale);
        };
        if (parenthesised) ctx.sql += '(';
        if (e.node() == sql::expression::kind::between) {
            one(e.operand(0));
            ctx.sql += " BETWEEN ";
            one(e.operand(1));
            ctx.sql += " AND ";
            one(e.operand(2));
        } else if (e.operand(1).node() == sql::expression::kind::list) {
            one(e.operand(0));
            ctx.sql += operator_text(e.op());
            ctx.sql += '(';
            const auto& items = e.operand(1).operands();
            for (std::size_t i = 0; i < items.size(); ++i) {
                if (i) ctx.sql += ", ";
                one(items[i]);
            }
            ctx.sql += ')';
        } else {
            one(e.operand(0));
            ctx.sql += operator_text(e.op());
            one(e.operand(1));
        }
        if (parenthesised) ctx.sql += ')';
    }

    /// True for a comparison node.
    static bool is_comparison(const sql::expression& e) {
        if (e.node() == sql::expression::kind::between) return true;
        if (e.node() != sql::expression::kind::binary) return false;
        switch (e.op()) {
            case sql::op::eq:
            case sql::op::ne:
            case sql::op::lt:
            case sql::op::le:
            case sql::op::gt:
            case sql::op::ge:
            case sql::op::in:
            case sql::op::not_in: return true;
            default: return false;
        }
    }

    /// The operands a comparison compares (IN: the value and each list item).
    static std::vector<const sql::expression*> compared(const sql::expression& e) {
        using kind = sql::expression::kind;
        if (e.node() == kind::between) return {&e.operand(0), &e.operand(1), &e.operand(2)};
        std::vector<const sql::expression*> operands{&e.operand(0)};
        if (e.operand(1).node() == kind::list)
            for (const auto& item : e.operand(1).operands()) operands.push_back(&item);
        else operands.push_back(&e.operand(1));
        return operands;
    }
    /// True if a comparison compares decimal values (a decimal column, expression or subquery).
    static bool compares_decimals(const sql::expression& e, const std::vector<const sql::expression*>& operands) {
        using kind = sql::expression::kind;
        return std::any_of(operands.begin(), operands.end(), [](const sql::expression* x) { return is_decimal(*x) && x->node() != kind::parameter; }) ||
               (e.node() == kind::binary && e.operand(1).node() == kind::subquery && !e.operand(1).query().columns.empty() &&
                is_decimal(e.operand(1).query().columns.front()));
    }

    void append_binary(render_context& ctx, const sql::expression& e, bool parenthesised) const override {
        if (is_comparison(e)) {
            const auto operands = compared(e);
            if (compares_decimals(e, operands)) return append_decimal_comparison(ctx, e, operands, parenthesised);
        }
        dialect::append_binary(ctx, e, parenthesised);
    }

    void append_expression(render_context& ctx, const sql::expression& e) const override {
        using kind = sql::expression::kind;
        if (e.node() == kind::between) {
            const auto operands = compared(e);
            if (compares_decimals(e, operands)) return append_decimal_comparison(ctx, e, operands, true);
            return dialect::append_expression(ctx, e);
        }
        if (e.node() == kind::binary && is_comparison(e)) return dialect::append_expression(ctx, e);  // to append_binary
        if (!is_decimal(e)) {
            // A decimal inside floating-point arithmetic, or an argument of a function
            // orm does not know, is its value as a REAL.
            if ((e.node() == kind::binary && is_floating(e)) || (e.node() == kind::function && e.function() == sql::func::generic)) {
                if (std::none_of(e.operands().begin(), e.operands().end(), [](const sql::expression& x) { return is_decimal(x); }))
                    return dialect::append_expression(ctx, e);
                if (e.node() == kind::binary) {
                    ctx.sql += '(';
                    e.operand(0).type().is(type_kind::decimal) ? append_real(ctx, e.operand(0)) : append_expression(ctx, e.operand(0));
                    ctx.sql += operator_text(e.op());
                    e.operand(1).type().is(type_kind::decimal) ? append_real(ctx, e.operand(1)) : append_expression(ctx, e.operand(1));
                    ctx.sql += ')';
                    return;
                }
                ctx.sql += e.name() + '(';
                for (std::size_t i = 0; i < e.operands().size(); ++i) {
                    if (i) ctx.sql += ", ";
                    is_decimal(e.operand(i)) ? append_real(ctx, e.operand(i)) : append_expression(ctx, e.operand(i));
                }
                ctx.sql += ')';
                return;
            }
            if (e.node() == kind::cast && is_decimal(e.operand(0))) {  // a decimal CAST to another type
                const sql::expression& x = e.operand(0);
                if (e.type().is(type_kind::text)) return append_decimal_text(ctx, x, shape_of(x).scale);
                if (e.type().is(type_kind::integer)) {  // truncated toward zero
                    ctx.sql += "(";
                    append_natural(ctx, x);
                    ctx.sql += " / " + power_of_ten(shape_of(x).scale) + ")";
                    return;
                }
                return append_real(ctx, x);
            }
            return dialect::append_expression(ctx, e);
        }
        // A decimal value: a result column of the outermost SELECT reads as exact text,
        // anything else (ORDER BY, GROUP BY, a subquery's column, SET) as the scaled integer.
        const decimal_shape shape = shape_of(e);
        if (ctx.in_select_list && ctx.scopes.size() == 1) {
            if (shape.text) {
                if (e.node() != kind::column) refuse_text_decimal();
                return dialect::append_expression(ctx, e);
            }
            return append_decimal_text(ctx, e, shape.scale);
        }
        if (shape.text && e.node() == kind::parameter) return dialect::append_expression(ctx, e);
        append_natural(ctx, e);
    }

    value stored_value(const column_info& c, value v) const override {
        if (c.type.kind != type_kind::decimal || text_stored(c) || is_null(v)) return v;
        const auto number = parameter_number(v);
        const auto scaled = number ? number->scaled(c.scale) : std::nullopt;
        if (!scaled) throw data_error("orm: " + to_display_string(v) + " does not fit DECIMAL(" + std::to_string(c.precision) + ", " + std::to_string(c.scale) + ")");
        return *scaled;
    }
    bool converts_stored_values(const table_info& table) const override {
        return std::any_of(table.columns.begin(), table.columns.end(),
                           [](const column_info& c) { return c.type.kind == type_kind::decimal && !text_stored(c); });
    }

    std::vector<std::string> on_connect_sql() const override { return {"PRAGMA foreign_keys = ON"}; }

    // A STRICT table's columns are INTEGER, REAL, TEXT or BLOB (orm checks lengths and
    // decimal digits itself; a DECIMAL(p <= 18) is its scaled INTEGER).
    std::string column_type_in(const table_info& table, const column_info& c) const override {
        if (!table.options.sqlite_strict) return column_type(c);
        switch (c.type.kind) {
            case type_kind::boolean: return "INTEGER";
            case type_kind::integer:
                if (c.type.is_unsigned && c.type.bytes == 8)
                    throw mapping_error("orm: " + table.name + "." + c.name + ": a STRICT SQLite table cannot hold 64-bit unsigned "
                                        "values above INT64_MAX (they are kept as BIGINT UNSIGNED, which STRICT refuses)");
                return "INTEGER";
            case type_kind::floating: return "REAL";
            case type_kind::blob: return "BLOB";
            case type_kind::decimal: return text_stored(c) ? "TEXT" : "INTEGER";
            default: return "TEXT";
        }
    }
    std::string column_collation(const column_info& c) const override { return c.sqlite_collation; }
    std::string table_options(const table_info& t) const override {
        std::string out;
        if (t.options.sqlite_without_rowid) out += " WITHOUT ROWID";
        if (t.options.sqlite_strict) out += out.empty() ? " STRICT" : ", STRICT";
        return out;
    }

    // Every SQLite transaction is serializable (a requested weaker level is given
    // that); a writing one takes the write lock at once.
    std::vector<std::string> begin_statements(const begin_options& options) const override {
        return {options.write ? "BEGIN IMMEDIATE" : "BEGIN"};
    }
    bool locking_read_needs_write_lock() const override { return true; }

    std::string column_check(const column_info& c) const override {
        return c.type.kind == type_kind::json ? "CHECK (json_valid(" + quote_identifier(c.name) + "))" : std::string{};
    }

    bool enforces_length(const column_info&) const override { return false; }

    bool last_insert_id_gives_one_row_key() const override { return true; }

    // SQLite gives each row of an INSERT the largest rowid + 1 (AUTOINCREMENT: also
    // above any key ever used), so one statement's rows get consecutive keys unless a
    // trigger inserts rows of the same table in between or the largest rowid reaches
    // INT64_MAX (from then on keys are random). A REPLACE conflict clause does not
    // break the run: a row's rowid is chosen before the rows it replaces are deleted.
    // The query rules out both; inside a transaction nobody else can change the
    // schema or the table before the INSERT.
    std::optional<compiled_sql> consecutive_keys_check(const table_info& table, std::size_t rows) const override {
        const column_info* serial = table.auto_increment_column();
        if (!serial || rows == 0) return std::nullopt;
        const std::string triggers = "tbl_name = ? COLLATE NOCASE AND type = 'trigger'";
        compiled_sql check;
        check.text = "SELECT NOT EXISTS (SELECT 1 FROM sqlite_master WHERE " + triggers +
                     " UNION ALL SELECT 1 FROM sqlite_temp_master WHERE " + triggers + ") AND coalesce((SELECT max(" + quote_identifier(serial->name) + ") FROM " + quote_identifier(table.name) +
                     "), 0) <= ?";
        const auto room = std::numeric_limits<std::int64_t>::max() - static_cast<std::int64_t>(std::min<std::size_t>(rows, 1U << 30));
        check.params = {value{table.name}, value{table.name}, value{room}};
        check.returns_rows = true;
        return check;
    }

    // RETURNING arrived in SQLite 3.35.0.
    bool supports_returning() const override { return returning_; }
    void configure(const server_info& server) override {
        returning_ = server.allow_returning && version_at_least(server.version, 3, 35);
    }

private:
    bool returning_ = true;

protected:
    void append_limit(std::string& sql, const sql::select_statement& s) const override {
        if (s.limit) sql += " LIMIT " + std::to_string(*s.limit);
        else if (s.offset) sql += " LIMIT -1";  // SQLite needs a LIMIT before OFFSET
        if (s.offset) sql += " OFFSET " + std::to_string(*s.offset);
    }

    void append_upsert(std::string& sql, const sql::insert_statement&, const sql::upsert_clause& u) const override {
        sql += " ON CONFLICT (";
        for (std::size_t i = 0; i < u.conflict_columns.size(); ++i) sql += (i ? ", " : "") + quote_identifier(u.conflict_columns[i]);
        sql += ")";
        if (u.update_columns.empty()) {
            sql += " DO NOTHING";
            return;
        }
        sql += " DO UPDATE SET ";
        for (std::size_t i = 0; i < u.update_columns.size(); ++i) {
            const std::string column = quote_identifier(u.update_columns[i]);
            sql += (i ? ", " : "") + column + " = excluded." + column;
        }
    }

    // LENGTH counts characters of text; EXTRACT does not exist: strftime's text, as an integer.
    void append_function(render_context& ctx, const sql::expression& e) const override {
        if (e.function() != sql::func::length) return dialect::append_function(ctx, e);
        ctx.sql += "LENGTH(";
        append_list(ctx, e.operands());
        ctx.sql += ')';
    }
    void append_date_part(render_context& ctx, sql::func part, const sql::expression& operand) const override {
        static constexpr const char* formats[] = {"%Y", "%m", "%d", "%H", "%M", "%S"};
        ctx.sql += "CAST(strftime('";
        ctx.sql += formats[static_cast<int>(part) - static_cast<int>(sql::func::year)];
        ctx.sql += "', ";
        append_expression(ctx, operand);
        ctx.sql += ") AS INTEGER)";
    }

    std::string cast_type_name(const sql::value_type& t) const override {
        switch (t.kind) {
            case type_kind::boolean:
            case type_kind::integer: return "INTEGER";
            case type_kind::floating: return "REAL";
            case type_kind::blob: return "BLOB";
            default: return "TEXT";  // dates, times, JSON and text are TEXT
        }
    }

    // SQLite locks the whole database, not rows: a transaction that is to write
    // takes the write lock at BEGIN IMMEDIATE (see connection::begin), so a
    // locking read adds nothing to the SELECT.
    void append_lock(std::string&, const sql::lock_clause&) const override {}

    // The key must be declared inline for the column to alias the rowid.
    std::string auto_increment_clause() const override { return "PRIMARY KEY AUTOINCREMENT"; }
    bool auto_increment_declares_key() const override { return true; }
};

}  // namespace

std::unique_ptr<dialect> make_sqlite_dialect() { return std::make_unique<sqlite_dialect>(); }

}  // namespace orm
