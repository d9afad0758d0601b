// Loading options of queries: finding the relationship a member pointer names,
// the tree of relationships (the load plan) that a query's options make, and
// the statement selectin loading runs.
#include "orm/loading.hpp"

#include "orm/connection.hpp"
#include "orm/relationship_query.hpp"

#include <algorithm>
#include <string>

namespace orm::detail {

namespace {

// `column IN (?, ...)` over `keys` of one column, or `(a = ? AND b = ?) OR ...` over several.
sql::expression key_in(const table_info& table, const std::vector<std::size_t>& columns, std::span<const std::vector<value>> keys) {
    if (columns.size() == 1) {
        const column_info& c = table.columns[columns[0]];
        std::vector<sql::expression> items;
        items.reserve(keys.size());
        for (const std::vector<value>& key : keys) items.push_back(sql::expression::parameter(key[0], sql::type_of(c)));
        return sql::expression::binary(sql::op::in, sql::expression::column(table.name, c), sql::expression::list(std::move(items)));
    }
    std::optional<sql::expression> any;
    for (const std::vector<value>& key : keys) {
        std::vector<sql::expression> terms;
        for (std::size_t k = 0; k < columns.size(); ++k) {
            const column_info& c = table.columns[columns[k]];
            terms.push_back(sql::expression::binary(sql::op::eq, sql::expression::column(table.name, c),
                                                    sql::expression::parameter(key[k], sql::type_of(c))));
        }
        sql::expression row = *sql::all_of(std::move(terms));
        any = any ? sql::expression::binary(sql::op::or_, std::move(*any), std::move(row)) : std::move(row);
    }
    return std::move(*any);
}

}  // namespace

const relationship_info& relationship_named_by(const table_info& table, const std::type_info& member_pointer_type,
                                               const void* member_pointer) {
    for (const relationship_info& r : table.relationships)
        if (r.member_pointer_type == member_pointer_type && r.is_member(member_pointer)) return r;
    throw mapping_error("orm: a loading option names a member of " + table.name +
                        " that is not declared in its model<T>::relationships");
}

void load_plan::add(std::span<const relationship_info* const> path, load_strategy strategy) {
    auto unreachable = [](const relationship_info& r) {
        throw interface_error("orm: loading options: " + r.name + " is given a strategy that does not load it with the query's "
                              "objects, and another option loads a path through it: load it selectin");
    };
    std::vector<load_plan_node>* level = &nodes;
    for (std::size_t i = 0; i < path.size(); ++i) {
        const bool last = i + 1 == path.size();
        auto at = std::find_if(level->begin(), level->end(), [&](const load_plan_node& n) { return n.relationship == path[i]; });
        if (at == level->end()) {
            level->push_back({path[i], last ? strategy : load_strategy::selectin, last, {}});
            at = level->end() - 1;
        } else if (last) {  // a later option wins
            if (strategy != load_strategy::selectin && !at->children.empty()) unreachable(*path[i]);
            at->strategy = strategy;
            at->named = true;
        } else if (at->strategy != load_strategy::selectin) {  // reaching deeper needs this one loaded with the objects
            unreachable(*path[i]);
        }
        level = &at->children;
    }
}

sql::select_statement selectin_select(const relationship_info& r, std::span<const std::vector<value>> keys) {
    const table_info& target = r.target();
    sql::select_statement select = sql::select_columns_of(target);
    select.where = key_in(target, r.remote_columns, keys);
    if (r.kind == relationship_kind::one_to_many) {
        // By parent, then by key: each parent's children come together, in the order lazy loading gives.
        for (std::size_t c : r.remote_columns) select.order_by.push_back({sql::expression::column(target.name, target.columns[c])});
        for (std::size_t k : target.primary_key) select.order_by.push_back({sql::expression::column(target.name, target.columns[k])});
    }
    return select;
}

sql::expression relationship_condition(const table_info& owner, const relationship_info& r) {
    const table_info& target = r.target();
    std::vector<sql::expression> terms;
    for (std::size_t k = 0; k < r.local_columns.size(); ++k)
        terms.push_back(sql::expression::binary(sql::op::eq, sql::expression::column(target.name, target.columns[r.remote_columns[k]]),
                                                sql::expression::column(owner.name, owner.columns[r.local_columns[k]]),
                                                sql::value_type::of(type_kind::boolean)));
    return *sql::all_of(std::move(terms));
}

bool load_plan::loads_selectin() const {
    std::vector<const std::vector<load_plan_node>*> pending{&nodes};
    while (!pending.empty()) {
        const auto* level = pending.back();
        pending.pop_back();
        for (const load_plan_node& n : *level) {
            if (n.strategy == load_strategy::selectin) return true;
            pending.push_back(&n.children);
        }
    }
    return false;
}

}  // namespace orm::detail

// ---- queries along relationships (orm/relationship_query.hpp) ----

namespace orm::detail {

sql::expression exists_through(const table_info& owner, const relationship_info& r, const sql::expression* extra) {
    const table_info& target = r.target();
    sql::select_statement inner;
    inner.table = sql::table_ref(target.name);
    inner.columns = {sql::expression::parameter(std::int64_t{1})};
    sql::expression where = relationship_condition(owner, r);
    if (extra) where = sql::expression::binary(sql::op::and_, std::move(where), *extra, sql::value_type::of(type_kind::boolean));
    inner.where = std::move(where);
    return sql::expression::unary(sql::op::exists, sql::expression::subquery(std::move(inner)), sql::value_type::of(type_kind::boolean));
}

sql::expression columns_equal(const table_info& owner, const std::vector<std::size_t>& columns, const std::vector<value>& from,
                              const std::string& what) {
    std::vector<sql::expression> terms;
    for (std::size_t k = 0; k < columns.size(); ++k) {
        if (is_unset_key(from[k]))
            throw interface_error("orm: " + what + ": the related object has no key yet (flush it first)");
        const column_info& c = owner.columns[columns[k]];
        terms.push_back(sql::expression::binary(sql::op::eq, sql::expression::column(owner.name, c),
                                                sql::expression::parameter(from[k], sql::type_of(c)), sql::value_type::of(type_kind::boolean)));
    }
    return *sql::all_of(std::move(terms));
}

}  // namespace orm::detail
