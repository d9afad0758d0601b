#pragma once
// Loading options: how the objects one query reads load their relationships,
// overriding each relationship's declared strategy for that query.
//
//   auto writers = s.query<Writer>()
//                      .options(orm::selectin_load(&Writer::novels, &Novel::reviews))
//                      .all();
//   // SELECT ... FROM writer
//   // SELECT ... FROM novel WHERE novel.writer_id IN (?, ?, ...) ORDER BY novel.writer_id, novel.id
//   // SELECT ... FROM review WHERE review.novel_id IN (?, ?, ...) ORDER BY review.novel_id, review.id
//
// A path names relationships from one of the query's types on: each member's
// target is the owner of the next. Every relationship along the path but the
// last is loaded selectin (to reach the last); the last gets the option's strategy.
#include <cstdint>
#include <memory>
#include <span>
#include <type_traits>
#include <typeinfo>
#include <vector>

#include "orm/mapping/table.hpp"
#include "orm/relationship.hpp"
#include "orm/sql/statement.hpp"

namespace orm {

namespace detail {

/// The relationship of `table` whose member is the member pointer at `member_pointer`
/// (of type `member_pointer_type`); throws orm::mapping_error if none is declared.
const relationship_info& relationship_named_by(const table_info& table, const std::type_info& member_pointer_type,
                                               const void* member_pointer);

/// The SELECT that selectin loading runs for relationship `r` and a batch of keys (the
/// parents' keys for a one-to-many, the targets' for a many-to-one):
/// `SELECT target FROM t WHERE t.fk IN (?, ...) [ORDER BY t.fk, t.key]`.
sql::select_statement selectin_select(const relationship_info& r, std::span<const std::vector<value>> keys);

/// The join condition of `r` (a relationship of `owner`): `target.remote = owner.local` for
/// each column pair, qualified by the tables' names.
sql::expression relationship_condition(const table_info& owner, const relationship_info& r);

/// One relationship in a load plan: how it loads for the objects a query reads, and
/// the plan for the objects it loads.
struct load_plan_node {
    const relationship_info* relationship = nullptr;
    load_strategy strategy = load_strategy::selectin;
    bool named = false;  ///< the end of an option's path (else only loaded to reach a deeper one)
    std::vector<load_plan_node> children;
};

/// The loading options of a query, as a tree of relationships from the query's types.
struct load_plan {
    std::vector<load_plan_node> nodes;
    /// Adds a path: every relationship on it but the last selectin (unless an option named
    /// it), the last with `strategy` (a later option wins over an earlier one).
    void add(std::span<const relationship_info* const> path, load_strategy strategy);
    /// True if some relationship of the plan loads selectin.
    bool loads_selectin() const;
};

/// A session object a query read, for loading its relationships.
struct loaded_object {
    const table_info* table = nullptr;
    void* object = nullptr;
};

template <class Prev, class Next>
struct path_links : std::false_type {};
template <class C1, class M1, class C2, class M2>
struct path_links<M1 C1::*, M2 C2::*> : std::is_same<typename M1::element_type, C2> {};

template <class First, class... Rest>
consteval bool path_chains() {
    if constexpr (sizeof...(Rest) == 0) {
        return true;
    } else {
        using second = std::tuple_element_t<0, std::tuple<Rest...>>;
        return path_links<First, second>::value && path_chains<Rest...>();
    }
}

template <class C, class M>
const relationship_info* relationship_of_member(M C::*member) {
    static_assert(std::is_base_of_v<relationship_member, M>, "orm: a loading option names a member that is not an orm::to_one or orm::collection");
    return &relationship_named_by(table_of<C>(), typeid(M C::*), &member);
}

}  // namespace detail

/// A loading option for one query: a path of relationships from the query's type
/// `Root`, and the strategy its last relationship loads with. Made by
/// orm::selectin_load, orm::lazy_load, orm::raise_load, orm::raise_on_sql_load;
/// given to `query.options(...)`.
template <class Root>
class load_option {
public:
    load_strategy strategy() const noexcept { return strategy_; }
    /// The relationships of the path, from Root on.
    std::span<const relationship_info* const> path() const noexcept { return path_; }

    /// The option for `members` (a path from Root) with `strategy`.
    template <class... M>
    static load_option make(load_strategy strategy, M... members) {
        load_option o;
        o.strategy_ = strategy;
        o.path_ = {detail::relationship_of_member(members)...};
        return o;
    }

private:
    load_strategy strategy_ = load_strategy::lazy;
    std::vector<const relationship_info*> path_;
};

namespace detail {
template <load_strategy S, class C, class M, class... Rest>
load_option<C> make_load_option(M C::*first, Rest... rest) {
    static_assert(path_chains<M C::*, Rest...>(),
                  "orm: a loading option's path must chain: each relationship's target type owns the next member");
    return load_option<C>::make(S, first, rest...);
}
}  // namespace detail

/// Loads the path's relationships with the query's objects, one
/// `SELECT ... WHERE key IN (...)` per relationship per batch of parents (batches as
/// large as the driver's parameter limit allows, or session_options::selectin_batch_size):
/// `s.query<Writer>().options(orm::selectin_load(&Writer::novels, &Novel::reviews))`.
template <class C, class M, class... Rest>
load_option<C> selectin_load(M C::*first, Rest... rest) {
    return detail::make_load_option<load_strategy::selectin>(first, rest...);
}
/// The path's last relationship loads on first access, for the objects this query reads.
template <class C, class M, class... Rest>
load_option<C> lazy_load(M C::*first, Rest... rest) {
    return detail::make_load_option<load_strategy::lazy>(first, rest...);
}
/// The path's last relationship throws orm::not_loaded_error when touched unloaded,
/// for the objects this query reads.
template <class C, class M, class... Rest>
load_option<C> raise_load(M C::*first, Rest... rest) {
    return detail::make_load_option<load_strategy::raise>(first, rest...);
}
/// Like raise_load, but a many-to-one found in the identity map is allowed.
template <class C, class M, class... Rest>
load_option<C> raise_on_sql_load(M C::*first, Rest... rest) {
    return detail::make_load_option<load_strategy::raise_on_sql>(first, rest...);
}

}  // namespace orm
