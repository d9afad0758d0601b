#pragma once
// Compile-time reflection of plain aggregates: field count, names and types
// (Boost.PFR), and member pointer -> field index.
//
// Field names: on Boost >= 1.84 boost::pfr::get_name does it. Before that we
// use the well-known technique: pass a pointer to field I of a
// declared-but-never-defined object as a template argument and read the
// identifier out of __PRETTY_FUNCTION__ (works on g++ >= 12 and clang >= 14).
#include <array>
#include <cstddef>
#include <string_view>
#include <type_traits>
#include <utility>

#include <boost/pfr.hpp>
#include <boost/version.hpp>

namespace orm {

/// A type that orm can reflect: a plain aggregate (no base classes, no
/// reference members, no C arrays — use std::array).
template <class T>
concept reflectable = std::is_aggregate_v<T> && !std::is_array_v<T> && std::is_class_v<T>;

/// The class and member types of a data member pointer: `member_pointer_traits<decltype(&Book::title)>`.
template <class M>
struct member_pointer_traits;
template <class C, class M>
struct member_pointer_traits<M C::*> {
    using class_type = C;
    using member_type = M;
};

namespace detail {

#if defined(__clang__)
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wundefined-var-template"
#endif

/// Declared, never defined: only its members' addresses are used, at compile time.
template <class T>
extern const T fake_object;

/// Wraps a pointer so clang prints the member access in __PRETTY_FUNCTION__.
template <class F>
struct pointer_holder {
    const F* pointer;
};

// Both return `auto`: a spelled-out std::string_view return type would appear
// in g++'s __PRETTY_FUNCTION__ after the part we parse.
template <auto Holder>
consteval auto signature_of_pointer() {
    return std::string_view(__PRETTY_FUNCTION__);
}

template <class T>
consteval auto signature_of_type() {
    return std::string_view(__PRETTY_FUNCTION__);
}

/// The last C++ identifier in `text` (skipping trailing punctuation such as ")}]").
consteval std::string_view last_identifier(std::string_view text) {
    auto is_ident = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    };
    std::size_t end = text.size();
    while (end > 0 && !is_ident(text[end - 1])) --end;
    std::size_t begin = end;
    while (begin > 0 && is_ident(text[begin - 1])) --begin;
    return text.substr(begin, end - begin);
}

template <class T, std::size_t I>
consteval std::string_view field_name_impl() {
#if BOOST_VERSION >= 108400
    return boost::pfr::get_name<I, T>();
#else
    using field_type = std::remove_cvref_t<decltype(boost::pfr::get<I>(fake_object<T>))>;
    return last_identifier(
        signature_of_pointer<pointer_holder<field_type>{&boost::pfr::get<I>(fake_object<T>)}>());
#endif
}

/// Copies a compile-time string into static storage so it can outlive the consteval call.
template <std::size_t N>
struct fixed_string {
    std::array<char, N + 1> chars{};
    consteval explicit fixed_string(std::string_view text) {
        for (std::size_t i = 0; i < N; ++i) chars[i] = text[i];
    }
    constexpr std::string_view view() const { return {chars.data(), N}; }
};

template <class T, std::size_t I>
inline constexpr auto field_name_storage = fixed_string<field_name_impl<T, I>().size()>(field_name_impl<T, I>());

/// The unqualified name of T, without namespace or template arguments: `Book`.
template <class T>
consteval std::string_view type_name_impl() {
    std::string_view sig = signature_of_type<T>();
    // g++: "... [with T = ns::Book; std::string_view = ...]"  clang: "... [T = ns::Book]"
    auto start = sig.find("T = ");
    sig = sig.substr(start + 4);
    auto stop = sig.find_first_of(";]");
    sig = sig.substr(0, stop);
    if (auto angle = sig.find('<'); angle != std::string_view::npos) sig = sig.substr(0, angle);
    if (auto colons = sig.rfind("::"); colons != std::string_view::npos) sig = sig.substr(colons + 2);
    return sig;
}

template <class T>
inline constexpr auto type_name_storage = fixed_string<type_name_impl<T>().size()>(type_name_impl<T>());

template <class T, class M, std::size_t... I>
constexpr std::size_t field_index_impl(M T::*member, std::index_sequence<I...>) {
    std::size_t found = sizeof...(I);
    const void* target = &(fake_object<T>.*member);
    ((target == static_cast<const void*>(&boost::pfr::get<I>(fake_object<T>)) ? (found = I, 0) : 0), ...);
    return found;
}

#if defined(__clang__)
#pragma clang diagnostic pop
#endif

}  // namespace detail

/// Number of fields of T.
template <reflectable T>
inline constexpr std::size_t field_count = boost::pfr::tuple_size_v<T>;

/// Type of field I of T.
template <reflectable T, std::size_t I>
using field_type = boost::pfr::tuple_element_t<I, T>;

/// Name of field I of T, at compile time: `orm::field_name<Book, 1>() == "title"`.
template <reflectable T, std::size_t I>
constexpr std::string_view field_name() {
    return detail::field_name_storage<T, I>.view();
}

/// All field names of T, in declaration order.
template <reflectable T>
constexpr std::array<std::string_view, field_count<T>> field_names() {
    return []<std::size_t... I>(std::index_sequence<I...>) {
        return std::array<std::string_view, sizeof...(I)>{field_name<T, I>()...};
    }(std::make_index_sequence<field_count<T>>{});
}

/// Unqualified name of a type: `orm::type_name<shop::OrderLine>() == "OrderLine"`.
template <class T>
constexpr std::string_view type_name() {
    return detail::type_name_storage<T>.view();
}

/// Field index of a member pointer, at compile time: `orm::field_index(&Book::title) == 1`.
/// Usable in constant expressions; fails to compile if the member is not a reflected field.
template <reflectable T, class M>
consteval std::size_t field_index(M T::*member) {
    const std::size_t index = detail::field_index_impl(member, std::make_index_sequence<field_count<T>>{});
    if (index == field_count<T>) throw "orm: member pointer does not name a reflectable field";
    return index;
}

/// Base of the member types that link objects (orm::to_one, orm::collection): a
/// field of such a type is navigation, not a column, and the mapper skips it.
struct relationship_member {};

/// True when field type F is a column (not a relationship member).
template <class F>
inline constexpr bool is_column_type_v = !std::is_base_of_v<relationship_member, std::remove_cvref_t<F>>;

namespace detail {
template <class T, std::size_t... I>
consteval auto column_fields_impl(std::index_sequence<I...>) {
    constexpr std::size_t count = (std::size_t{0} + ... + (is_column_type_v<boost::pfr::tuple_element_t<I, T>> ? 1 : 0));
    std::array<std::size_t, count> out{};
    std::size_t next = 0;
    ((is_column_type_v<boost::pfr::tuple_element_t<I, T>> ? void(out[next++] = I) : void()), ...);
    return out;
}
}  // namespace detail

/// The field indices of T's columns, in declaration order (relationship members left out):
/// column position c is field `column_fields<T>[c]`.
template <reflectable T>
inline constexpr auto column_fields = detail::column_fields_impl<T>(std::make_index_sequence<field_count<T>>{});

/// Number of T's fields that are columns.
template <reflectable T>
inline constexpr std::size_t column_count = column_fields<T>.size();

/// The column position of field `field` of T, or column_count<T> if it is not a column.
template <reflectable T>
constexpr std::size_t column_of_field(std::size_t field) {
    for (std::size_t c = 0; c < column_count<T>; ++c)
        if (column_fields<T>[c] == field) return c;
    return column_count<T>;
}

/// Column position of a member pointer, at compile time: `orm::column_index(&Book::title)`.
/// Fails to compile if the member is not a column (a relationship member, or not a field).
template <reflectable T, class M>
consteval std::size_t column_index(M T::*member) {
    const std::size_t c = column_of_field<T>(field_index(member));
    if (c == column_count<T>) throw "orm: member pointer names a relationship member, not a column";
    return c;
}

/// The field names of T's columns, in column order: `field_names<T>()` without the relationship members.
template <reflectable T>
constexpr std::array<std::string_view, column_count<T>> column_field_names() {
    return []<std::size_t... C>(std::index_sequence<C...>) {
        return std::array<std::string_view, sizeof...(C)>{field_name<T, column_fields<T>[C]>()...};
    }(std::make_index_sequence<column_count<T>>{});
}

}  // namespace orm
