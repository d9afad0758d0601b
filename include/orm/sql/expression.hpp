#pragma once
// Typed SQL expressions over member pointers:
//
//   using orm::col;
//   auto cheap = col(&Book::price) < 10.0 && col(&Book::title).like("N%");
//   auto mine  = col(&Book::author_id).in({1, 2, 3}) || col(&Book::isbn).is_null();
//   auto boss  = orm::alias<Employee>("boss");            // the same table a second time
//   auto named = boss(&Employee::name) == "Ada";
//
// An orm::expr<V, Tables> knows the C++ type V of its value and the tables it
// reads (Tables: mapped types, or orm::aliased<T, Tag> for an alias), so
// comparing a column with a value of the wrong type, or filtering a query on a
// table it does not read, does not compile. Values are always bound as
// parameters; operators and functions are node kinds that each dialect renders.
// The functions (count, sum, coalesce, round, lower, year, cast, func, ...) are
// in orm/sql/functions.hpp.
#include <algorithm>
#include <chrono>
#include <concepts>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "orm/decimal.hpp"
#include "orm/error.hpp"
#include "orm/mapping/table.hpp"
#include "orm/sql/statement.hpp"

namespace orm {

/// Escapes LIKE's wildcards (% and _) and the escape character itself in `text`,
/// so user input matches literally: use with `like(pattern, escape)`.
inline std::string escape_like(std::string_view text, char escape = '!') {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        if (c == '%' || c == '_' || c == escape) out += escape;
        out += c;
    }
    return out;
}

/// A compile-time list of the tables an expression or query reads.
template <class... Ts>
struct tables {};

/// The mapped type T under an alias, as an element of orm::tables. `Tag` tells
/// two aliases of one type apart at compile time (default: all aliases of T are alike).
template <class T, class Tag = void>
struct aliased {
    using type = T;
};

namespace detail {

template <class T, class List>
inline constexpr bool contains_v = false;
template <class T, class... Ts>
inline constexpr bool contains_v<T, tables<Ts...>> = (std::is_same_v<T, Ts> || ...);

template <class Sub, class Super>
inline constexpr bool subset_v = false;
template <class... Ts, class Super>
inline constexpr bool subset_v<tables<Ts...>, Super> = (contains_v<Ts, Super> && ...);

template <class A, class B>
struct union_tables;
template <class... As>
struct union_tables<tables<As...>, tables<>> {
    using type = tables<As...>;
};
template <class... As, class B, class... Bs>
struct union_tables<tables<As...>, tables<B, Bs...>> {
    using type = typename union_tables<std::conditional_t<contains_v<B, tables<As...>>, tables<As...>, tables<As..., B>>,
                                       tables<Bs...>>::type;
};
template <class A, class B>
using union_t = typename union_tables<A, B>::type;

/// The value type a column compares as: the field type without std::optional.
template <class T>
using plain_t = typename strip_optional<std::remove_cvref_t<T>>::type;

/// Numbers SQL computes with: integers, floating point, exact decimals (not bool).
template <class T>
concept number = (std::is_arithmetic_v<T> && !std::is_same_v<T, bool>) || std::is_same_v<T, decimal>;

/// The value type of an operand: text literals and views are std::string, else the type without std::optional.
template <class T>
using value_t = std::conditional_t<std::is_convertible_v<const std::remove_cvref_t<T>&, std::string_view> &&
                                       !std::is_same_v<std::remove_cvref_t<T>, std::string>,
                                   std::string, plain_t<T>>;

/// Which C++ values may be compared with (or assigned to) a column of type A.
template <class A, class B>
concept comparable = (number<A> && number<B>) || (std::is_same_v<A, std::string> && std::is_convertible_v<B, std::string_view>) ||
                     std::is_same_v<A, B>;

/// Column position of a member pointer at run time (col() takes it as an argument):
/// compares addresses within one default-constructed probe object.
template <class T, class M>
std::size_t runtime_field_index(M T::*member) {
    static const T probe{};
    const void* target = &(probe.*member);
    std::size_t found = column_count<T>;
    [&]<std::size_t... C>(std::index_sequence<C...>) {
        ((static_cast<const void*>(&boost::pfr::get<column_fields<T>[C]>(probe)) == target ? void(found = C) : void()), ...);
    }(std::make_index_sequence<column_count<T>>{});
    if (found == column_count<T>) throw interface_error("orm: a member pointer names no column of " + std::string(type_name<T>()));
    return found;
}

/// The AST's value type of a C++ value type (decimal precision and scale unknown).
template <class V>
sql::value_type value_type_of() {
    using P = plain_t<V>;
    if constexpr (requires { type_traits<P>::sql; }) {
        constexpr sql_type t = type_traits<P>::sql;
        sql::value_type out = sql::value_type::of(t.kind);
        out.is_unsigned = t.is_unsigned;
        out.fraction_digits = t.fraction_digits;
        return out;
    } else {
        return {};
    }
}

/// The AST's value type of one value: a decimal's own precision and scale.
inline sql::value_type value_type_of_decimal(const decimal& d) {
    const std::size_t digits = std::max<std::size_t>(1, d.integer_digits() + d.scale());
    return sql::value_type::decimal(static_cast<std::uint8_t>(std::min<std::size_t>(digits, 65)),
                                    static_cast<std::uint8_t>(std::min<std::size_t>(d.scale(), 38)));
}
template <class V>
sql::value_type value_type_of(const V& v) {
    if constexpr (std::is_same_v<plain_t<V>, decimal>) {
        if constexpr (is_optional_v<std::remove_cvref_t<V>>) return v ? value_type_of_decimal(*v) : value_type_of<V>();
        else return value_type_of_decimal(v);
    } else {
        return value_type_of<V>();
    }
}

}  // namespace detail

/// A typed expression: V is the C++ type of its value, Tables the tables it reads.
template <class V, class Tables = tables<>>
struct expr {
    using value_type = V;
    using tables_type = Tables;
    sql::expression node;

    /// `x LIKE pattern` (strings only).
    expr<bool, Tables> like(std::string pattern) const
        requires std::is_same_v<detail::plain_t<V>, std::string>
    {
        return {sql::expression::like(node, sql::expression::parameter(std::move(pattern)))};
    }
    /// `x LIKE pattern ESCAPE escape`, for patterns built around user input:
    /// `col(&Book::title).like("%" + orm::escape_like(user_text) + "%", '!')`.
    expr<bool, Tables> like(std::string pattern, char escape) const
        requires std::is_same_v<detail::plain_t<V>, std::string>
    {
        return {sql::expression::like(node, sql::expression::parameter(std::move(pattern)),
                                      sql::expression::parameter(std::string(1, escape)))};
    }
    /// `x NOT LIKE pattern`.
    expr<bool, Tables> not_like(std::string pattern) const
        requires std::is_same_v<detail::plain_t<V>, std::string>
    {
        return {sql::expression::like(node, sql::expression::parameter(std::move(pattern)), std::nullopt, true)};
    }
    /// `x IN (?, ?, ...)`: `col(&Book::id).in({1, 2, 3})`; an empty list is always false.
    template <class U>
        requires detail::comparable<detail::plain_t<V>, detail::plain_t<U>>
    expr<bool, Tables> in(const std::vector<U>& values) const {
        return in_list(values, sql::op::in);
    }
    template <class U>
        requires detail::comparable<detail::plain_t<V>, detail::plain_t<U>>
    expr<bool, Tables> in(std::initializer_list<U> values) const {
        return in(std::vector<U>(values));
    }
    /// `x NOT IN (?, ?, ...)`; an empty list is always true.
    template <class U>
        requires detail::comparable<detail::plain_t<V>, detail::plain_t<U>>
    expr<bool, Tables> not_in(const std::vector<U>& values) const {
        return in_list(values, sql::op::not_in);
    }
    template <class U>
        requires detail::comparable<detail::plain_t<V>, detail::plain_t<U>>
    expr<bool, Tables> not_in(std::initializer_list<U> values) const {
        return not_in(std::vector<U>(values));
    }
    /// `x IN (SELECT ...)`: `col(&Book::author_id).in(orm::select<Author>().columns(col(&Author::id)))`.
    template <class Q>
        requires requires(const Q& q) {
            q.statement();
            typename Q::result_type;
        } && detail::comparable<detail::plain_t<V>, detail::plain_t<typename Q::result_type>>
    expr<bool, Tables> in(const Q& subquery) const {
        return {sql::expression::binary(sql::op::in, node, sql::expression::subquery(subquery.statement()), bool_type())};
    }
    /// `x NOT IN (SELECT ...)` (a NULL in the subquery's rows makes it match nothing, as SQL says).
    template <class Q>
        requires requires(const Q& q) {
            q.statement();
            typename Q::result_type;
        } && detail::comparable<detail::plain_t<V>, detail::plain_t<typename Q::result_type>>
    expr<bool, Tables> not_in(const Q& subquery) const {
        return {sql::expression::binary(sql::op::not_in, node, sql::expression::subquery(subquery.statement()), bool_type())};
    }
    /// `x BETWEEN low AND high`.
    template <class U>
        requires detail::comparable<detail::plain_t<V>, detail::plain_t<U>>
    expr<bool, Tables> between(const U& low, const U& high) const {
        return {sql::expression::between(node, sql::expression::parameter(to_value(low), detail::value_type_of(low)),
                                         sql::expression::parameter(to_value(high), detail::value_type_of(high)))};
    }
    /// `x IS NULL`.
    expr<bool, Tables> is_null() const { return {sql::expression::unary(sql::op::is_null, node, bool_type())}; }
    /// `x IS NOT NULL`.
    expr<bool, Tables> is_not_null() const { return {sql::expression::unary(sql::op::is_not_null, node, bool_type())}; }

private:
    static sql::value_type bool_type() { return sql::value_type::of(type_kind::boolean); }
    template <class U>
    expr<bool, Tables> in_list(const std::vector<U>& values, sql::op o) const {
        if (values.empty()) {  // IN () is not SQL: always false (NOT IN: always true)
            const std::int64_t one = 1;
            return {sql::expression::binary(o == sql::op::in ? sql::op::eq : sql::op::ne, sql::expression::parameter(one),
                                            sql::expression::parameter(std::int64_t{0}), bool_type())};
        }
        std::vector<sql::expression> items;
        items.reserve(values.size());
        for (const U& v : values) items.push_back(sql::expression::parameter(to_value(v), detail::value_type_of(v)));
        return {sql::expression::binary(o, node, sql::expression::list(std::move(items)), bool_type())};
    }
};

template <class T>
inline constexpr bool is_expr_v = false;
template <class V, class L>
inline constexpr bool is_expr_v<expr<V, L>> = true;

/// The column of a member pointer: `orm::col(&Book::price)` is an expr<double, tables<Book>>.
template <reflectable T, class M>
expr<M, tables<T>> col(M T::*member) {
    const table_info& table = table_of<T>();
    return {sql::expression::column(table.name, table.columns[detail::runtime_field_index(member)])};
}

/// A second (third, ...) occurrence of T's table in a query, under its own name:
///
///   auto manager = orm::alias<Employee>("manager");
///   conn.select<Employee>()
///       .left_join(manager, col(&Employee::reports_to) == manager(&Employee::id))
///       .columns(col(&Employee::name), manager(&Employee::name));
///
/// `Tag` tells two aliases of one type apart at compile time (`orm::alias<Employee, struct grand>`).
/// An alias is a small value (its name); copies name the same alias.
template <reflectable T, class Tag = void>
class alias {
public:
    using mapped_type = T;
    using source_type = aliased<T, Tag>;
    /// An alias called `name` (quoted as an identifier, so any name is safe).
    explicit alias(std::string name) : name_(std::move(name)) {
        if (name_.empty()) throw interface_error("orm: an alias needs a name");
        if (name_ == table_of<T>().name)
            throw interface_error("orm: the alias '" + name_ + "' is the table's own name; choose another");
    }
    /// The column of `member` under this alias: `manager(&Employee::name)`.
    template <class M>
    expr<M, tables<source_type>> operator()(M T::*member) const {
        return {sql::expression::column(name_, table_of<T>().columns[detail::runtime_field_index(member)])};
    }
    /// The alias's name (what its columns are qualified with).
    const std::string& name() const noexcept { return name_; }

private:
    std::string name_;
};

/// A bound value as an expression, for the rare case it must come first: `orm::val(5) < col(&Book::price)`.
template <class V>
expr<detail::plain_t<V>> val(const V& v) {
    return {sql::expression::parameter(to_value(v), detail::value_type_of(v))};
}

namespace detail {
template <class T>
sql::expression operand(const T& v) {
    if constexpr (is_expr_v<T>) return v.node;
    else return sql::expression::parameter(to_value(v), value_type_of(v));
}
template <class T>
struct operand_traits {
    using value_type = value_t<T>;
    using tables_type = tables<>;
    static constexpr bool nullable = is_optional_v<std::remove_cvref_t<T>>;
};
template <class V, class L>
struct operand_traits<expr<V, L>> {
    using value_type = plain_t<V>;
    using tables_type = L;
    static constexpr bool nullable = is_optional_v<V>;
};
template <class A, class B>
using tables_of_t = union_t<typename operand_traits<A>::tables_type, typename operand_traits<B>::tables_type>;

template <class A, class B>
concept comparison_operands = (is_expr_v<A> || is_expr_v<B>) &&
                              comparable<typename operand_traits<A>::value_type, typename operand_traits<B>::value_type>;

template <class A, class B>
expr<bool, tables_of_t<A, B>> compare(sql::op o, const A& a, const B& b) {
    // An empty std::optional compared with = or <> means IS [NOT] NULL (SQL's = NULL is never true).
    if constexpr (is_optional_v<B>) {
        if (!b && (o == sql::op::eq || o == sql::op::ne))
            return {sql::expression::unary(o == sql::op::eq ? sql::op::is_null : sql::op::is_not_null, operand(a),
                                           sql::value_type::of(type_kind::boolean))};
    }
    return {sql::expression::binary(o, operand(a), operand(b), sql::value_type::of(type_kind::boolean))};
}

/// V, or std::optional<V> when `nullable`.
template <class V, bool nullable>
using maybe_optional_t = std::conditional_t<nullable, std::optional<V>, V>;
}  // namespace detail

// Comparisons: an expr with a value of a comparable type, or with another expr.
template <class A, class B>
    requires detail::comparison_operands<A, B>
auto operator==(const A& a, const B& b) { return detail::compare(sql::op::eq, a, b); }
template <class A, class B>
    requires detail::comparison_operands<A, B>
auto operator!=(const A& a, const B& b) { return detail::compare(sql::op::ne, a, b); }
template <class A, class B>
    requires detail::comparison_operands<A, B>
auto operator<(const A& a, const B& b) { return detail::compare(sql::op::lt, a, b); }
template <class A, class B>
    requires detail::comparison_operands<A, B>
auto operator<=(const A& a, const B& b) { return detail::compare(sql::op::le, a, b); }
template <class A, class B>
    requires detail::comparison_operands<A, B>
auto operator>(const A& a, const B& b) { return detail::compare(sql::op::gt, a, b); }
template <class A, class B>
    requires detail::comparison_operands<A, B>
auto operator>=(const A& a, const B& b) { return detail::compare(sql::op::ge, a, b); }

/// `col == std::nullopt` is `IS NULL`, `!= std::nullopt` is `IS NOT NULL` (SQL's `= NULL` is never true).
template <class V, class L>
expr<bool, L> operator==(const expr<V, L>& a, std::nullopt_t) { return a.is_null(); }
template <class V, class L>
expr<bool, L> operator!=(const expr<V, L>& a, std::nullopt_t) { return a.is_not_null(); }

// Boolean connectives (a chain of thousands of terms is built in linear time and renders flat).
template <class L1, class L2>
expr<bool, detail::union_t<L1, L2>> operator&&(const expr<bool, L1>& a, const expr<bool, L2>& b) {
    return {sql::expression::binary(sql::op::and_, a.node, b.node, sql::value_type::of(type_kind::boolean))};
}
template <class L1, class L2>
expr<bool, detail::union_t<L1, L2>> operator||(const expr<bool, L1>& a, const expr<bool, L2>& b) {
    return {sql::expression::binary(sql::op::or_, a.node, b.node, sql::value_type::of(type_kind::boolean))};
}
template <class L>
expr<bool, L> operator!(const expr<bool, L>& a) { return {sql::expression::unary(sql::op::not_, a.node, sql::value_type::of(type_kind::boolean))}; }

// Arithmetic on numbers (integers, floating point, orm::decimal), with SQL's result types:
// any floating operand gives a double; otherwise a decimal operand gives a decimal
// (scale: + and - the larger, * the sum, / the dividend's + 4); integers give int64.
// integer / integer does not compile: MariaDB gives an exact decimal and SQLite
// truncates. A NULL-able operand makes the result NULL-able.
namespace detail {
template <class A, class B>
concept arithmetic_operands = (is_expr_v<A> || is_expr_v<B>) && number<typename operand_traits<A>::value_type> &&
                              number<typename operand_traits<B>::value_type>;
template <class X, class Y>
using number_result_t =
    std::conditional_t<std::is_floating_point_v<X> || std::is_floating_point_v<Y>, double,
                       std::conditional_t<std::is_same_v<X, decimal> || std::is_same_v<Y, decimal>, decimal, std::int64_t>>;
template <class A, class B>
using arithmetic_result_t =
    maybe_optional_t<number_result_t<typename operand_traits<A>::value_type, typename operand_traits<B>::value_type>,
                     operand_traits<A>::nullable || operand_traits<B>::nullable>;
template <class A, class B>
expr<arithmetic_result_t<A, B>, tables_of_t<A, B>> arithmetic(sql::op o, const A& a, const B& b) {
    sql::expression left = operand(a), right = operand(b);
    sql::value_type type = sql::arithmetic_type(o, left.type(), right.type());
    return {sql::expression::binary(o, std::move(left), std::move(right), type)};
}
}  // namespace detail
template <class A, class B>
    requires detail::arithmetic_operands<A, B>
auto operator+(const A& a, const B& b) { return detail::arithmetic(sql::op::add, a, b); }
template <class A, class B>
    requires detail::arithmetic_operands<A, B>
auto operator-(const A& a, const B& b) { return detail::arithmetic(sql::op::sub, a, b); }
template <class A, class B>
    requires detail::arithmetic_operands<A, B>
auto operator*(const A& a, const B& b) { return detail::arithmetic(sql::op::mul, a, b); }
template <class A, class B>
    requires detail::arithmetic_operands<A, B>
auto operator/(const A& a, const B& b) {
    static_assert(!(std::is_integral_v<typename detail::operand_traits<A>::value_type> &&
                    std::is_integral_v<typename detail::operand_traits<B>::value_type>),
                  "orm: integer / integer differs between backends (MariaDB: an exact decimal, SQLite: truncated); "
                  "use orm::int_div(a, b), or orm::cast<double> or orm::cast<orm::decimal> one side");
    return detail::arithmetic(sql::op::div, a, b);
}
/// `a % b` of integers (the remainder takes the dividend's sign on every backend).
template <class A, class B>
    requires detail::arithmetic_operands<A, B> && std::is_integral_v<typename detail::operand_traits<A>::value_type> &&
             std::is_integral_v<typename detail::operand_traits<B>::value_type>
auto operator%(const A& a, const B& b) { return detail::arithmetic(sql::op::mod, a, b); }
/// `-x`.
template <class V, class L>
    requires detail::number<detail::plain_t<V>>
expr<V, L> operator-(const expr<V, L>& a) { return {sql::expression::unary(sql::op::negate, a.node, a.node.type())}; }

/// A filter over the tables Ts, built up at run time and still typed:
///
///   orm::predicate<Book> filter;                          // empty: matches every row
///   if (max_price) filter = filter && col(&Book::price) <= *max_price;
///   if (!title.empty()) filter = filter && col(&Book::title).like(title + "%");
///
/// Adding a term costs the same however many there are (nodes are shared, not copied).
template <class... Ts>
class predicate {
public:
    predicate() = default;
    /// From a boolean expression over (a subset of) Ts.
    template <class L>
    predicate(const expr<bool, L>& e) : node_(e.node) {  // NOLINT: implicit by design
        static_assert(detail::subset_v<L, tables<Ts...>>, "orm::predicate: the condition reads a type the predicate is not over");
    }
    /// True if no condition was added (matches everything).
    bool empty() const { return !node_.has_value(); }
    /// The condition, if any.
    const std::optional<sql::expression>& node() const { return node_; }

    friend predicate operator&&(const predicate& a, const predicate& b) { return combine(sql::op::and_, a, b); }
    friend predicate operator||(const predicate& a, const predicate& b) { return combine(sql::op::or_, a, b); }
    friend predicate operator!(const predicate& a) {
        predicate out;
        if (a.node_) out.node_ = sql::expression::unary(sql::op::not_, *a.node_, sql::value_type::of(type_kind::boolean));
        return out;
    }

private:
    static predicate combine(sql::op o, const predicate& a, const predicate& b) {
        if (!a.node_) return b;
        if (!b.node_) return a;
        predicate out;
        out.node_ = sql::expression::binary(o, *a.node_, *b.node_, sql::value_type::of(type_kind::boolean));
        return out;
    }
    std::optional<sql::expression> node_;
};

/// An ORDER BY item: `orm::asc(&Book::title)`, `orm::desc(col(&Book::price) * 2)`.
template <class Tables>
struct ordering {
    sql::order_item item;
};
template <reflectable T, class M>
ordering<tables<T>> asc(M T::*member) { return {{col(member).node, false}}; }
template <reflectable T, class M>
ordering<tables<T>> desc(M T::*member) { return {{col(member).node, true}}; }
template <class V, class L>
ordering<L> asc(const expr<V, L>& e) { return {{e.node, false}}; }
template <class V, class L>
ordering<L> desc(const expr<V, L>& e) { return {{e.node, true}}; }

}  // namespace orm

#include "orm/sql/functions.hpp"
