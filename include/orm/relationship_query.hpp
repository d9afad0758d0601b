#pragma once
// Queries along relationships: EXISTS through a relationship (SQLAlchemy's any() /
// has()) and filtering by a related object. Joining on a relationship is
// select_query::join(&Writer::novels).
//
//   s.query<Writer>().where(orm::any(&Writer::novels, col(&Novel::title).like("E%")));
//   // ... WHERE EXISTS (SELECT 1 FROM novel WHERE novel.writer_id = writer.id AND novel.title LIKE ?)
//   s.query<Novel>().where(orm::has(&Novel::writer, col(&Writer::name) == "Ada"));
//   s.query<Novel>().where(orm::with_parent(*ada, &Writer::novels));  // novel.writer_id = ? (ada.id)
//   s.query<Novel>().where(orm::links_to(&Novel::writer, *ada));       // the same, from the child's side
#include <string>
#include <type_traits>

#include "orm/loading.hpp"
#include "orm/query.hpp"

namespace orm {

namespace detail {

/// EXISTS (SELECT 1 FROM target WHERE <the relationship's join condition> [AND extra]), correlated to `owner`.
sql::expression exists_through(const table_info& owner, const relationship_info& r, const sql::expression* extra);
/// `owner.column = ?` for each of `columns` with the values `from` gives (a related object's key).
sql::expression columns_equal(const table_info& owner, const std::vector<std::size_t>& columns, const std::vector<value>& from,
                              const std::string& what);

template <class C, class M, class L>
expr<bool, tables<C>> exists_of(M C::*member, const expr<bool, L>* condition) {
    using target = typename M::element_type;
    static_assert(!std::is_same_v<target, C>,
                  "orm::any / orm::has through a self-referential relationship: write the EXISTS with an orm::alias of the table");
    if constexpr (!std::is_same_v<L, void>)
        static_assert(subset_v<L, tables<target>>, "orm::any / orm::has: the condition may only read the related type's columns");
    return {exists_through(table_of<C>(), *relationship_of_member(member), condition ? &condition->node : nullptr)};
}

}  // namespace detail

/// True for rows with at least one related object (one-to-many): `orm::any(&Writer::novels)`.
template <class C, class T>
expr<bool, tables<C>> any(collection<T> C::*member) {
    return detail::exists_of<C, collection<T>, void>(member, static_cast<const expr<bool, void>*>(nullptr));
}
/// True for rows with at least one related object for which `condition` holds:
/// `orm::any(&Writer::novels, col(&Novel::title).like("E%"))`.
template <class C, class T, class L>
expr<bool, tables<C>> any(collection<T> C::*member, const expr<bool, L>& condition) {
    return detail::exists_of(member, &condition);
}
/// True for rows whose related object (many-to-one) satisfies `condition`:
/// `orm::has(&Novel::writer, col(&Writer::name) == "Ada")`.
template <class C, class T, class L>
expr<bool, tables<C>> has(to_one<T> C::*member, const expr<bool, L>& condition) {
    return detail::exists_of(member, &condition);
}

/// The children of `parent` through its one-to-many `member`: `orm::with_parent(ada, &Writer::novels)`
/// is `novel.writer_id = ?` with ada's key (orm::interface_error if she has none yet).
template <class P, class Child>
expr<bool, tables<Child>> with_parent(const P& parent, collection<Child> P::*member) {
    const relationship_info& r = *detail::relationship_of_member(member);
    std::vector<value> key;
    for (std::size_t c : r.local_columns) key.push_back(detail::row_codec<P>::getters[c](parent));
    return {detail::columns_equal(table_of<Child>(), r.remote_columns, key, r.name)};
}

/// The rows whose many-to-one `member` points at `target`: `orm::links_to(&Novel::writer, ada)`.
template <class C, class T>
expr<bool, tables<C>> links_to(to_one<T> C::*member, const T& target) {
    const relationship_info& r = *detail::relationship_of_member(member);
    std::vector<value> key;
    for (std::size_t c : r.remote_columns) key.push_back(detail::row_codec<T>::getters[c](target));
    return {detail::columns_equal(table_of<C>(), r.local_columns, key, r.name)};
}

}  // namespace orm
