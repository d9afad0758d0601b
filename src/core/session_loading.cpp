// orm::session: loading strategies — selectin loading of relationships for the
// objects a query (or a load) just read, level by level along the query's load
// plan and the relationships declared orm::load::selectin.
#include <algorithm>
#include <unordered_map>

#include "orm/session.hpp"
#include "relationship_members.hpp"

namespace orm {

void session::load_related(std::span<const detail::loaded_object> objects, const detail::load_plan* plan) {
    std::vector<detail::object_state*> states;
    states.reserve(objects.size());
    for (const detail::loaded_object& o : objects)
        if (detail::object_state* state = find_state(o.object)) states.push_back(state);
    eager_load(std::move(states), plan ? std::span<const detail::load_plan_node>(plan->nodes) : std::span<const detail::load_plan_node>{});
}

void session::eager_load(std::vector<detail::object_state*> states, std::span<const detail::load_plan_node> plan) {
    if (states.empty()) return;
    // Without a plan there is nothing to do unless a table declares a selectin relationship.
    if (plan.empty() && std::none_of(states.begin(), states.end(), [](const detail::object_state* s) { return s->table->selectin_by_default; }))
        return;
    refresh_on_merge_ = false;  // a locking query's rows were read: what is loaded now is not locked
    // One group per table (an object read twice, say by a join, is loaded once: select_in skips repeats).
    detail::for_each_table(states, [&](const table_info& table, std::span<detail::object_state* const> group) {
        for (const relationship_info& r : table.relationships) {
            const detail::load_plan_node* node = nullptr;
            for (const detail::load_plan_node& n : plan)
                if (n.relationship == &r) node = &n;
            const load_strategy strategy = node ? node->strategy : r.options.strategy;
            if (strategy == load_strategy::selectin) {
                // Along the plan, objects loaded before are gone through too (their own relationships
                // may not be); by declaration only new ones (so a cycle of selectin ends).
                std::vector<detail::object_state*> next = select_in(r, group, node != nullptr);
                eager_load(std::move(next), node ? std::span<const detail::load_plan_node>(node->children) : std::span<const detail::load_plan_node>{});
            } else if (node) {  // this query's objects load it as the option says, when first touched
                const auto code = static_cast<std::uint8_t>(static_cast<std::uint8_t>(strategy) + 1);
                for (detail::object_state* s : group) {
                    void* member = r.member_of(s->object());
                    if (r.kind == relationship_kind::many_to_one) {
                        auto& link = *static_cast<detail::to_one_base*>(member);
                        if (!link.loaded()) link.set_strategy_override(code);
                    } else {
                        auto& items = *static_cast<detail::collection_base*>(member);
                        if (!items.loaded()) items.set_strategy_override(code);
                    }
                }
            }
        }
    });
}

std::vector<detail::object_state*> session::select_in(const relationship_info& r, std::span<detail::object_state* const> owners, bool all_targets) {
    return r.kind == relationship_kind::one_to_many ? select_in_children(r, owners, all_targets) : select_in_parents(r, owners, all_targets);
}

std::size_t session::selectin_batch(std::size_t width) {
    const std::size_t by_limit = std::max<std::size_t>(1, conn().max_parameters() / std::max<std::size_t>(1, width));
    return options_.selectin_batch_size ? std::min(options_.selectin_batch_size, by_limit) : by_limit;
}

std::vector<detail::object_state*> session::select_in_children(const relationship_info& r, std::span<detail::object_state* const> owners,
                                                               bool all_targets) {
    std::vector<detail::object_state*> targets;
    std::vector<detail::object_state*> waiting;
    std::vector<std::vector<value>> keys;
    std::unordered_map<const detail::object_state*, std::size_t> position;  // owner -> its index in `waiting`
    for (detail::object_state* owner : owners) {
        detail::collection_base& items = detail::collection_in(r, owner->object());
        if (items.loaded()) {
            if (all_targets)
                for (void* item : items.known_items())
                    if (detail::object_state* s = find_state(item)) targets.push_back(s);
            continue;
        }
        // A new object's collection is known and a detached one is not loaded; a deleted one loads for orm::cascade::remove.
        if (owner->status != object_status::persistent && owner->status != object_status::deleted) continue;
        std::vector<value> key = detail::values_at(*owner, r.local_columns);
        if (detail::any_null(key)) {
            items.set_loaded({});
            continue;
        }
        if (!position.emplace(owner, waiting.size()).second) continue;  // the same object twice: loaded once
        waiting.push_back(owner);
        keys.push_back(std::move(key));
    }
    if (waiting.empty()) return targets;

    const table_info& parent = *waiting.front()->table;
    const table_info& child = r.target();
    const relationship_info* back = detail::mirror_of(r);
    const std::size_t batch = selectin_batch(r.remote_columns.size());
    for (std::size_t first = 0; first < waiting.size(); first += batch) {
        const std::size_t last = std::min(waiting.size(), first + batch);
        const sql::select_statement select = detail::selectin_select(r, std::span<const std::vector<value>>(keys).subspan(first, last - first));

        std::vector<std::vector<void*>> found(last - first);
        auto rows = conn().run(engine_.sql_dialect().compile(select));
        std::vector<value> fk(r.remote_columns.size()), previous;
        std::size_t at = found.size();  // the parent of the previous row (found.size(): none)
        while (rows && rows->next()) {
            for (std::size_t k = 0; k < fk.size(); ++k) fk[k] = rows->get(r.remote_columns[k]);
            if (fk != previous) {  // rows come grouped by parent: look it up once per parent
                previous = fk;
                const detail::object_state* owner = find_identity(parent, normalized_key(parent, fk));
                const auto it = owner ? position.find(owner) : position.end();
                at = it == position.end() || it->second < first || it->second >= last ? found.size() : it->second - first;
            }
            detail::object_state* state = merge_row(child, *rows, r.make_target);
            if (state->status == object_status::deleted || at == found.size()) continue;
            found[at].push_back(state->object());
            targets.push_back(state);
            if (back) {  // the other side learns its parent without SQL
                detail::to_one_base& link = detail::to_one_in(*back, state->object());
                if (!link.loaded()) link.set_loaded(waiting[first + at]->object());
            }
        }
        rows.reset();
        for (std::size_t i = first; i < last; ++i) detail::collection_in(r, waiting[i]->object()).set_loaded(std::move(found[i - first]));
    }
    return targets;
}

std::vector<detail::object_state*> session::select_in_parents(const relationship_info& r, std::span<detail::object_state* const> owners,
                                                              bool all_targets) {
    std::vector<detail::object_state*> targets;
    const table_info& target = r.target();
    // Owners whose target is not in the identity map, with the index of the key they wait for.
    std::vector<std::pair<detail::object_state*, std::size_t>> waiting;
    std::vector<std::vector<value>> keys;
    keys.reserve(owners.size());  // the index below holds spans into these keys
    std::unordered_map<identity_ref, std::size_t, identity_hash, identity_equal> key_index;
    for (detail::object_state* owner : owners) {
        detail::to_one_base& link = detail::to_one_in(r, owner->object());
        if (link.loaded()) {
            if (all_targets && link.known_target())
                if (detail::object_state* s = find_state(link.known_target())) targets.push_back(s);
            continue;
        }
        if (owner->status != object_status::persistent) continue;
        std::vector<value> key = detail::values_at(*owner, r.local_columns);
        if (detail::any_null(key)) {
            link.set_loaded(nullptr);
            continue;
        }
        key = normalized_key(target, std::move(key));
        if (detail::object_state* hit = find_identity(target, key); hit && !hit->expired) {  // no SQL
            link.set_loaded(hit->status == object_status::deleted ? nullptr : hit->object());
            if (hit->status != object_status::deleted) targets.push_back(hit);
            continue;
        }
        std::size_t index;
        if (const auto it = key_index.find(identity_ref{&target, key}); it != key_index.end()) {
            index = it->second;  // another owner waits for the same target: one key in the IN list
        } else {
            index = keys.size();
            keys.push_back(std::move(key));
            key_index.emplace(identity_ref{&target, keys.back()}, index);
        }
        waiting.emplace_back(owner, index);
    }
    if (waiting.empty()) return targets;

    const std::size_t batch = selectin_batch(r.remote_columns.size());
    for (std::size_t first = 0; first < keys.size(); first += batch) {
        const std::size_t last = std::min(keys.size(), first + batch);
        const sql::select_statement select = detail::selectin_select(r, std::span<const std::vector<value>>(keys).subspan(first, last - first));
        auto rows = conn().run(engine_.sql_dialect().compile(select));
        while (rows && rows->next()) merge_row(target, *rows, r.make_target);
    }
    for (const auto& [owner, index] : waiting) {
        detail::object_state* hit = find_identity(target, keys[index]);
        const bool found = hit && hit->status != object_status::deleted;
        detail::to_one_in(r, owner->object()).set_loaded(found ? hit->object() : nullptr);
        if (found) targets.push_back(hit);
    }
    return targets;
}

}  // namespace orm
