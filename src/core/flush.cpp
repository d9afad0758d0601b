// orm::session: the flush (unit of work) and the transaction life cycle.
#include <algorithm>
#include <string_view>
#include <thread>

#include "orm/schema.hpp"
#include "orm/session.hpp"

namespace orm {

namespace {

void fire(const table_info& table, event when, detail::object_state& state);

sql::expression equals(const column_info& column, const value& v) {
    return sql::expression::binary(sql::op::eq, sql::expression::column(column.name, sql::type_of(column)),
                                   sql::expression::parameter(v, sql::type_of(column)));
}

// key1 = ? [AND key2 = ?] for one row's (unqualified) primary key.
sql::expression key_match(const table_info& table, std::span<const value> key) {
    std::vector<sql::expression> terms;
    for (std::size_t k = 0; k < table.primary_key.size(); ++k) terms.push_back(equals(table.columns[table.primary_key[k]], key[k]));
    return *sql::all_of(std::move(terms));
}

// WHERE key = ... [AND version = <as loaded>] for one row.
std::optional<sql::expression> row_condition(const table_info& table, const detail::object_state& state) {
    std::vector<sql::expression> terms;
    for (std::size_t k = 0; k < table.primary_key.size(); ++k) terms.push_back(equals(table.columns[table.primary_key[k]], state.key[k]));
    if (table.version_column) terms.push_back(equals(table.columns[*table.version_column], state.snapshot()[*table.version_column]));
    return sql::all_of(std::move(terms));
}

std::string describe(const table_info& table, const detail::object_state& state) {
    std::string out = table.name + " row (";
    for (std::size_t k = 0; k < state.key.size(); ++k)
        out += (k ? ", " : "") + table.columns[table.primary_key[k]].name + " = " + to_display_string(state.key[k]);
    out += ")";
    if (table.version_column) out += " at version " + to_display_string(state.snapshot()[*table.version_column]);
    return out;
}

bool references_itself(const table_info& table) {
    for (const auto& fk : table.foreign_keys)
        if (&fk.target() == &table) return true;
    return false;
}

// Orders rows of a self-referencing table so each comes after the row its
// foreign key points to, when both are in `states`.
void order_parents_first(const table_info& table, std::vector<detail::object_state*>& states) {
    if (!references_itself(table) || states.size() < 2) return;
    std::vector<std::vector<value>> values;
    for (auto* s : states) values.push_back(s->values());
    auto parent_of = [&](std::size_t i) -> std::size_t {
        for (const auto& fk : table.foreign_keys) {
            if (&fk.target() != &table) continue;
            for (std::size_t j = 0; j < states.size(); ++j) {
                bool match = j != i;
                for (std::size_t c = 0; c < fk.columns.size() && match; ++c)
                    match = !is_null(values[i][fk.columns[c]]) && values[i][fk.columns[c]] == values[j][fk.target_columns[c]];
                if (match) return j;
            }
        }
        return states.size();
    };
    std::vector<bool> seen(states.size(), false);
    std::vector<detail::object_state*> ordered;
    auto visit = [&](auto& self, std::size_t i) -> void {
        if (seen[i]) return;  // done, or a cycle (left for the database to refuse)
        seen[i] = true;
        if (std::size_t p = parent_of(i); p != states.size()) self(self, p);
        ordered.push_back(states[i]);
    };
    for (std::size_t i = 0; i < states.size(); ++i) visit(visit, i);
    states = std::move(ordered);
}

std::uint64_t next_version(const value& current) {
    if (const auto* i = std::get_if<std::int64_t>(&current)) return static_cast<std::uint64_t>(*i) + 1;
    if (const auto* u = std::get_if<std::uint64_t>(&current)) return *u + 1;
    return 1;
}

}  // namespace

namespace {

// Appends the fields of a persistent object that differ from its snapshot to `out`, in field order.
void append_changed_fields(const detail::object_state& s, std::vector<std::size_t>& out) {
    if (s.append_changed_fields(out)) return;
    const std::vector<value> values = s.values();
    const std::vector<value>& snapshot = s.snapshot();
    for (std::size_t i = 0; i < values.size(); ++i)
        if (i >= snapshot.size() || values[i] != snapshot[i]) out.push_back(i);
}

// Resets a flag when the scope ends, however it ends.
struct flag_guard {
    bool& flag;
    explicit flag_guard(bool& f) : flag(f) { flag = true; }
    ~flag_guard() { flag = false; }
};

// True for failures after which the database has (or may have) ended the
// whole transaction, not just the statement: deadlock, lost connection.
bool aborts_transaction(const std::exception_ptr& failure) {
    try {
        std::rethrow_exception(failure);
    } catch (const connection_error&) {
        return true;
    } catch (const error& e) {
        return e.is_retryable();
    } catch (...) {
        return false;
    }
}

}  // namespace

std::vector<detail::object_state*> session::recently_added_pending() {
    // recent_adds_ keeps only the addresses still pending (filtered in place).
    std::vector<detail::object_state*> out;
    out.reserve(recent_adds_.size());
    std::size_t still = 0;
    for (const void* address : recent_adds_) {
        detail::object_state* s = find_state(address);
        if (!s || s->status != object_status::pending) continue;
        out.push_back(s);
        recent_adds_[still++] = address;
    }
    recent_adds_.resize(still);
    // In add order, each object once (an address may have been added, expunged and reused).
    auto by_sequence = [](const detail::object_state* a, const detail::object_state* b) { return a->sequence < b->sequence; };
    if (!std::is_sorted(out.begin(), out.end(), by_sequence)) std::sort(out.begin(), out.end(), by_sequence);
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

void session::flush() { flush_selected(nullptr); }

void session::flush_selected(detail::object_state* only) {
    if (flushing_) return;
    flag_guard busy(flushing_);  // listeners may call back into the session: no nested flush

    // The fields found changed are kept for the UPDATE (no second comparison), every
    // object's in one list: a flush of many changed objects allocates nothing per object.
    std::vector<update_candidate> updates;
    std::vector<std::size_t> changed_fields;
    if (!only) updates.reserve(states_.size());  // address space only: pages are touched as used
    auto add_if_update = [&](detail::object_state& s) {
        if (s.status != object_status::persistent || s.expired) return;
        const std::size_t first = changed_fields.size();
        append_changed_fields(s, changed_fields);
        if (changed_fields.size() != first) updates.push_back({&s, first, changed_fields.size() - first});
    };
    auto is_delete = [](const detail::object_state& s) { return s.status == object_status::deleted && !s.delete_flushed; };
    // Calls visit(state) for each object this flush may write: every one, in
    // add/load order, or (flush(object)) only `only` (the new ones come apart).
    auto for_each_candidate = [&](auto&& visit) {
        if (only) {
            visit(*only);
            return;
        }
        for (detail::object_state* s = first_; s; s = s->later) visit(*s);
    };

    // before_flush listeners may change objects (or add new ones): run them on
    // a snapshot of the candidates, then collect the work.
    if (detail::listening()) {
        auto touched = only ? recently_added_pending() : std::vector<detail::object_state*>{};
        for_each_candidate([&](detail::object_state& st) {
            // Only flush(object) can meet an object twice (`only` may be a new one).
            if (modified(st) && (!only || std::find(touched.begin(), touched.end(), &st) == touched.end())) touched.push_back(&st);
        });
        for (auto* s : touched) fire(*s->table, event::before_flush, *s);
    }

    // Links between objects become foreign-key values (those whose parent has a key already).
    synced_links_.clear();
    synced_collections_.clear();
    if (relationships_) sync_relationships(nullptr, nullptr);

    // One pass over the candidates sorts them into the three kinds of work.
    std::vector<detail::object_state*> inserts, deletes;
    if (only) inserts = recently_added_pending();
    else inserts.reserve(states_.size());  // address space only: pages are touched as used
    for_each_candidate([&](detail::object_state& st) {
        if (st.status == object_status::pending) {
            if (!only) inserts.push_back(&st);
        } else if (is_delete(st)) {
            deletes.push_back(&st);
        } else {
            add_if_update(st);
        }
    });
    if (inserts.empty() && updates.empty() && deletes.empty()) return;  // nothing to write: no SQL at all

    // A row deleted and a new one with the same key added: delete first.
    std::vector<detail::object_state*> early_deletes;
    for (auto* s : inserts) {
        if (deletes.empty()) break;  // nothing to compare with: no values to build
        const auto values = s->values();
        const column_info* serial = s->table->auto_increment_column();
        if (serial && detail::is_unset_key(values[serial->field_index])) continue;
        const auto key = key_of(*s->table, values);
        for (auto it = deletes.begin(); it != deletes.end();) {
            if ((*it)->table == s->table && (*it)->key == key) {
                early_deletes.push_back(*it);
                it = deletes.erase(it);
            } else {
                ++it;
            }
        }
    }

    std::vector<const table_info*> tables;
    auto note_table = [&tables](const table_info* t) {
        if (std::find(tables.begin(), tables.end(), t) == tables.end()) tables.push_back(t);
    };
    for (auto* list : {&inserts, &deletes, &early_deletes})
        for (auto* s : *list) note_table(s->table);
    for (const auto& u : updates) note_table(u.state->table);
    if (tables.size() > 1) tables = dependency_order(std::move(tables), true);
    auto of_table = [](const std::vector<detail::object_state*>& from, const table_info* t) {
        std::vector<detail::object_state*> out;
        for (auto* s : from)
            if (s->table == t) out.push_back(s);
        return out;
    };
    std::vector<update_candidate> of_one_table;
    auto updates_of_table = [&](const table_info* t) -> std::span<const update_candidate> {
        if (tables.size() == 1) return updates;
        of_one_table.clear();
        for (const auto& u : updates)
            if (u.state->table == t) of_one_table.push_back(u);
        return of_one_table;
    };

    // What a failed flush puts back: the state of each object it writes, the keys
    // the UPDATEs change, and the generated keys and versions written into objects.
    // A backup is small (it is made for every object written): a field the flush may
    // write is remembered as "null" or "zero" (what a key to generate or a new version
    // holds), and only any other value is kept aside.
    enum class field_was : std::uint8_t { untouched, null, zero_signed, zero_unsigned, kept };
    struct backup {
        detail::object_state* state;
        int inserted_depth, deleted_depth;
        object_status status;
        bool delete_flushed;
        field_was serial, version;  ///< the fields before the flush wrote them
    };
    std::vector<backup> backups;
    std::vector<value> kept_fields;  // the `kept` serials and versions, in backup order
    backups.reserve(inserts.size() + updates.size() + deletes.size() + early_deletes.size());
    auto remember_field = [&kept_fields](const detail::object_state& s, std::size_t field) {
        value v = s.get(field);
        if (is_null(v)) return field_was::null;
        if (const auto* i = std::get_if<std::int64_t>(&v); i && *i == 0) return field_was::zero_signed;
        if (const auto* u = std::get_if<std::uint64_t>(&v); u && *u == 0) return field_was::zero_unsigned;
        kept_fields.push_back(std::move(v));
        return field_was::kept;
    };
    auto back_up = [&](detail::object_state* s, bool serial_written) {
        // No snapshot is saved: an updated object's snapshot is retaken only once the
        // whole flush succeeded, and an inserted one's does not matter while it is pending.
        backup& b = backups.emplace_back(
            backup{s, s->inserted_depth, s->deleted_depth, s->status, s->delete_flushed, field_was::untouched, field_was::untouched});
        const table_info& t = *s->table;
        if (const column_info* serial = t.auto_increment_column(); serial && serial_written)
            b.serial = remember_field(*s, serial->field_index);
        if (t.version_column) b.version = remember_field(*s, *t.version_column);
    };
    for (auto* s : inserts) back_up(s, true);
    // An UPDATE changes nothing of the state but the version (and the key, kept in old_keys).
    for (const auto& u : updates)
        if (u.state->table->version_column) back_up(u.state, false);
    for (auto* list : {&deletes, &early_deletes})
        for (auto* s : *list) back_up(s, false);
    std::vector<std::pair<detail::object_state*, detail::key_values>> old_keys;

    connection& db = conn();
    db.check_no_stream();  // before anything changes: a flush inside a stream() loop fails cleanly
    const orm::dialect& d = engine_.sql_dialect();
    // One statement is atomic by itself; several run inside a savepoint so a
    // failure leaves the database as it was before the flush.
    // (An INSERT of a parent may lead to UPDATEs of children linked to it: guarded too.)
    // A deletion preceded by the UPDATE that clears its post_update keys is two statements too.
    const bool clears_links = relationships_ && std::any_of(deletes.begin(), deletes.end(), [](const detail::object_state* s) {
        return std::any_of(s->table->relationships.begin(), s->table->relationships.end(),
                           [](const relationship_info& r) { return r.options.post_update; });
    });
    const bool guarded =
        inserts.size() + updates.size() + deletes.size() + early_deletes.size() > 1 || (relationships_ && !inserts.empty()) || clears_links;
    constexpr std::string_view savepoint = "orm_flush";
    try {
        if (guarded) db.run_simple(d.savepoint_sql(savepoint));
        for (auto t = tables.rbegin(); t != tables.rend(); ++t) flush_deletes(**t, of_table(early_deletes, *t));
        if (!relationships_) {
            for (const table_info* t : tables) flush_inserts(*t, of_table(inserts, t));
        } else {
            // A child's foreign key is known once its parent is inserted: the rows of a table go
            // in waves, each after the rows it points to (a tree: one INSERT per level).
            std::vector<detail::object_state*> unresolved, written;
            for (const table_info* t : tables) {
                std::vector<detail::object_state*> waiting = of_table(inserts, t);
                while (!waiting.empty()) {
                    unresolved.clear();
                    sync_relationships(&unresolved, &written);
                    std::sort(unresolved.begin(), unresolved.end());
                    std::vector<detail::object_state*> ready, later;
                    for (auto* st : waiting) (std::binary_search(unresolved.begin(), unresolved.end(), st) ? later : ready).push_back(st);
                    if (ready.empty())
                        throw interface_error("orm: the new " + t->name + " objects link to each other in a cycle: none can be inserted "
                                              "before the key of another is known");
                    flush_inserts(*t, std::move(ready));
                    waiting = std::move(later);
                }
            }
            sync_relationships(nullptr, &written);  // persistent objects linked to parents inserted last
            // Persistent objects whose foreign key the inserts decided are updated too.
            std::sort(written.begin(), written.end());
            written.erase(std::unique(written.begin(), written.end()), written.end());
            // Their changed fields are looked at again (the earlier look missed the key).
            std::erase_if(updates, [&](const update_candidate& u) { return std::binary_search(written.begin(), written.end(), u.state); });
            for (detail::object_state* st : written) {
                if (st->status != object_status::persistent || st->expired) continue;
                const std::size_t first = changed_fields.size();
                append_changed_fields(*st, changed_fields);
                if (changed_fields.size() == first) continue;
                updates.push_back({st, first, changed_fields.size() - first});
                if (st->table->version_column) back_up(st, false);
                if (std::find(tables.begin(), tables.end(), st->table) == tables.end()) tables.push_back(st->table);
            }
        }
        for (const table_info* t : tables) flush_updates(*t, updates_of_table(t), changed_fields, old_keys);
        clear_post_update_links(deletes);
        for (auto t = tables.rbegin(); t != tables.rend(); ++t) flush_deletes(**t, of_table(deletes, *t));
        if (guarded) db.run_simple(d.release_savepoint_sql(savepoint));
        for (const auto& u : updates) u.state->take_typed_snapshot();  // what was written is the new snapshot
    } catch (...) {
        const std::exception_ptr failure = std::current_exception();
        bool transaction_lost = aborts_transaction(failure);
        if (guarded && !transaction_lost) {
            try {
                db.run_simple(d.rollback_to_savepoint_sql(savepoint));
                db.run_simple(d.release_savepoint_sql(savepoint));
            } catch (...) {
                transaction_lost = true;  // the savepoint went with the transaction
            }
        }
        for (auto it = old_keys.rbegin(); it != old_keys.rend(); ++it) it->first->key = std::move(it->second);
        std::size_t kept = 0;
        auto put_back = [&](detail::object_state& s, field_was was, std::size_t field) {
            switch (was) {
                case field_was::untouched: return;
                case field_was::null: return s.set(field, value{});
                case field_was::zero_signed: return s.set(field, value{std::int64_t{0}});
                case field_was::zero_unsigned: return s.set(field, value{std::uint64_t{0}});
                case field_was::kept: return s.set(field, kept_fields[kept++]);
            }
        };
        for (backup& b : backups) {
            detail::object_state& s = *b.state;
            s.status = b.status;
            if (b.status == object_status::pending) s.key.clear();  // it had no key before its INSERT
            s.delete_flushed = b.delete_flushed;
            s.inserted_depth = b.inserted_depth;
            s.deleted_depth = b.deleted_depth;
            // generated keys and versions taken back (in the order they were kept)
            if (b.serial != field_was::untouched) put_back(s, b.serial, s.table->auto_increment_column()->field_index);
            if (b.version != field_was::untouched) put_back(s, b.version, *s.table->version_column);
        }
        rebuild_identity_map();
        if (transaction_lost) abandon_transaction();
        std::rethrow_exception(failure);
    }
    if (!only) recent_adds_.clear();  // every added object is now inserted
    if (relationships_) relationships_flushed();
    // after_* listeners run once everything is written, so one that throws cannot
    // leave the session disagreeing with the database.
    for (auto* s : early_deletes) fire(*s->table, event::after_delete, *s);
    for (auto* s : inserts) fire(*s->table, event::after_insert, *s);
    for (const auto& u : updates) fire(*u.state->table, event::after_update, *u.state);
    for (auto* s : deletes) fire(*s->table, event::after_delete, *s);
    for (auto* s : early_deletes) fire(*s->table, event::after_flush, *s);
    for (auto* s : inserts) fire(*s->table, event::after_flush, *s);
    for (const auto& u : updates) fire(*u.state->table, event::after_flush, *u.state);
    for (auto* s : deletes) fire(*s->table, event::after_flush, *s);
}

void session::flush_inserts(const table_info& table, std::vector<detail::object_state*> states) {
    if (states.empty()) return;
    order_parents_first(table, states);
    for (auto* s : states) {
        fire(table, event::before_insert, *s);
        if (table.version_column && detail::is_unset_key(s->values()[*table.version_column]))
            s->set(*table.version_column, value{std::int64_t{1}});
    }
    // One statement's worth of rows at a time: values are built just before they are sent.
    const std::size_t slice = connection_->insert_rows_per_statement(table);
    const column_info* serial = table.auto_increment_column();
    std::vector<std::vector<value>> rows;
    for (std::size_t first = 0; first < states.size(); first += slice) {
        const std::size_t last = std::min(states.size(), first + slice);
        rows.clear();
        rows.reserve(last - first);
        for (std::size_t r = first; r < last; ++r) rows.push_back(states[r]->values());
        const auto generated = connection_->insert_rows(table, std::move(rows));
        for (std::size_t r = first; r < last; ++r) {
            detail::object_state& s = *states[r];
            if (generated[r - first]) s.set(serial->field_index, value{*generated[r - first]});
            s.take_typed_snapshot();  // the snapshot's values are built only if the object changes
            s.key.clear();
            for (std::size_t field : table.primary_key) s.key.push_back(s.get(field));
            s.status = object_status::persistent;
            s.inserted_depth = depth_;
            put_identity(s);
        }
    }
}

void session::flush_updates(const table_info& table, std::span<const update_candidate> updates,
                            const std::vector<std::size_t>& changed_fields,
                            std::vector<std::pair<detail::object_state*, detail::key_values>>& old_keys) {
    const orm::dialect& d = engine_.sql_dialect();
    // The changed objects grouped by the set of columns that changed (a group can
    // share one UPDATE), groups in order of appearance. Values are read from the
    // objects when their statement is built: nothing is kept per object.
    std::vector<std::pair<std::vector<std::size_t>, std::vector<detail::object_state*>>> groups;
    std::vector<std::size_t> recompared;  // one object's changed fields where they were looked at again
    for (const update_candidate& u : updates) {
        detail::object_state* s = u.state;
        fire(table, event::before_update, *s);
        if (table.version_column)
            s->set(*table.version_column, type_traits<std::uint64_t>::to_value(next_version(s->snapshot()[*table.version_column])));
        std::span<const std::size_t> changed(changed_fields.data() + u.first, u.count);
        if (detail::listening() || table.version_column) {
            recompared.clear();
            // Listeners may have changed the object since its change was detected: then compare again.
            if (detail::listening()) append_changed_fields(*s, recompared);
            else recompared.assign(changed.begin(), changed.end());
            if (table.version_column) {  // the new version is written with every change
                auto at = std::lower_bound(recompared.begin(), recompared.end(), *table.version_column);
                if (at == recompared.end() || *at != *table.version_column) recompared.insert(at, *table.version_column);
            }
            changed = recompared;
        }
        if (changed.empty()) continue;
        auto group = std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return std::ranges::equal(g.first, changed); });
        if (group == groups.end()) group = groups.insert(groups.end(), {std::vector<std::size_t>(changed.begin(), changed.end()), {}});
        group->second.push_back(s);
    }
    // One changed column's value, checked as an INSERT's would be.
    auto new_value = [&](const detail::object_state& s, std::size_t c) {
        value v = s.get(c);
        detail::check_column_value(d, table, table.columns[c], v);
        return v;
    };
    for (auto& [columns, changes] : groups) {
        // Rows whose key changes are updated one by one: MySQL evaluates SET
        // left to right, so a CASE on the key would see the new key.
        const bool key_changes = std::any_of(columns.begin(), columns.end(), [&](std::size_t c) {
            return std::find(table.primary_key.begin(), table.primary_key.end(), c) != table.primary_key.end();
        });
        // Parameters per row: a key match and a value per changed column, plus the WHERE.
        const std::size_t per_row = columns.size() * (table.primary_key.size() + 1) + table.primary_key.size() + 1;
        const std::size_t batch = key_changes ? 1 : std::clamp<std::size_t>(connection_->max_parameters() / per_row, 1, d.update_batch_rows());
        // A one-row UPDATE of these columns has the same text for every row:
        // compiled once, then only its parameters change.
        std::string one_row_text;
        std::vector<value> params;
        for (std::size_t first = 0; first < changes.size(); first += batch) {
            const std::size_t last = std::min(changes.size(), first + batch);
            if (last - first == 1) {
                detail::object_state& one = *changes[first];
                // SET values, then the key (and version) of the WHERE, in text order
                params.clear();
                for (std::size_t c : columns) params.push_back(new_value(one, c));
                params.insert(params.end(), one.key.begin(), one.key.end());
                if (table.version_column) params.push_back(one.snapshot()[*table.version_column]);
                std::optional<compiled_sql> compiled;
                if (one_row_text.empty()) {
                    sql::update_statement update{table.name, {}, {}};
                    for (std::size_t j = 0; j < columns.size(); ++j)
                        update.assignments.emplace_back(table.columns[columns[j]].name,
                                                        sql::expression::parameter(params[j], sql::type_of(table.columns[columns[j]])));
                    update.where = row_condition(table, one);
                    compiled = d.compile(update);
                    // Reused only when it binds exactly `params`, in order (checked once per group).
                    if (compiled->params == params) {
                        one_row_text = std::move(compiled->text);
                        compiled.reset();
                    }
                }
                if (compiled) connection_->run(*compiled);
                else connection_->run(one_row_text, params, false);
            } else {
                sql::update_statement update{table.name, {}, {}};
                for (std::size_t j = 0; j < columns.size(); ++j) {
                    const std::size_t c = columns[j];
                    std::vector<std::pair<sql::expression, sql::expression>> branches;
                    for (std::size_t r = first; r < last; ++r)
                        branches.emplace_back(key_match(table, changes[r]->key),
                                              sql::expression::parameter(new_value(*changes[r], c), sql::type_of(table.columns[c])));
                    update.assignments.emplace_back(
                        table.columns[c].name,
                        sql::expression::case_when(std::move(branches), sql::expression::column(table.columns[c].name, sql::type_of(table.columns[c])),
                                                   sql::type_of(table.columns[c])));
                }
                if (table.primary_key.size() == 1 && !table.version_column) {  // key IN (...)
                    std::vector<sql::expression> keys;
                    const column_info& key_column = table.columns[table.primary_key[0]];
                    for (std::size_t r = first; r < last; ++r) keys.push_back(sql::expression::parameter(changes[r]->key[0], sql::type_of(key_column)));
                    update.where = sql::expression::binary(sql::op::in, sql::expression::column(key_column.name, sql::type_of(key_column)),
                                                           sql::expression::list(std::move(keys)));
                } else {  // (key = ? [AND version = ?]) OR ...
                    std::optional<sql::expression> any;
                    for (std::size_t r = first; r < last; ++r) {
                        sql::expression row = *row_condition(table, *changes[r]);
                        any = any ? sql::expression::binary(sql::op::or_, std::move(*any), std::move(row)) : std::move(row);
                    }
                    update.where = std::move(any);
                }
                connection_->run(d.compile(update));
            }
            const std::uint64_t matched = connection_->affected_rows();
            if (matched != last - first) {
                const std::string what = last - first == 1 ? "UPDATE of " + describe(table, *changes[first])
                                                           : "grouped UPDATE of " + std::to_string(last - first) + " " + table.name +
                                                                 " rows (first: " + describe(table, *changes[first]) + ")";
                throw stale_data_error("orm: " + what + " matched " + std::to_string(matched) +
                                       " rows: another transaction changed or deleted them; nothing was written");
            }
            if (!key_changes) continue;
            for (std::size_t r = first; r < last; ++r) {
                detail::object_state& s = *changes[r];  // its snapshot is retaken when the flush succeeds
                detail::key_values key;
                for (std::size_t field : table.primary_key) key.push_back(s.get(field));
                if (key != s.key) {  // the primary key itself changed
                    drop_identity(s);
                    if (!s.committed_key) s.committed_key = std::make_unique<detail::key_values>(s.key);
                    old_keys.emplace_back(&s, std::exchange(s.key, std::move(key)));
                    put_identity(s);
                }
            }
        }
    }
}

void session::clear_post_update_links(const std::vector<detail::object_state*>& states) {
    const orm::dialect& d = engine_.sql_dialect();
    for (const detail::object_state* s : states) {
        for (const relationship_info& r : s->table->relationships) {
            if (r.kind != relationship_kind::many_to_one || !r.options.post_update) continue;
            sql::update_statement clear{s->table->name, {}, row_condition(*s->table, *s)};
            for (std::size_t c : r.local_columns) {
                const column_info& column = s->table->columns[c];
                clear.assignments.emplace_back(column.name, sql::expression::parameter(value{}, sql::type_of(column)));
            }
            connection_->run(d.compile(clear));
        }
    }
}

void session::flush_deletes(const table_info& table, std::vector<detail::object_state*> states) {
    if (states.empty()) return;
    if (references_itself(table)) {  // children before parents
        order_parents_first(table, states);
        std::reverse(states.begin(), states.end());
    }
    const orm::dialect& d = engine_.sql_dialect();
    for (auto* s : states) {
        fire(table, event::before_delete, *s);
        connection_->run(d.compile(sql::delete_statement{table.name, row_condition(table, *s)}));
        if (table.version_column && connection_->affected_rows() != 1)
            throw stale_data_error("orm: DELETE of " + describe(table, *s) +
                                   " matched no row: another transaction changed or deleted it; nothing was written");
        s->delete_flushed = true;
        s->deleted_depth = depth_;
        drop_identity(*s);  // out of the identity map now: a new object may take the key
    }
}

void session::rebuild_identity_map() {
    identity_map_.clear();
    for (auto& [address, state] : states_)
        if (state->status == object_status::persistent || (state->status == object_status::deleted && !state->delete_flushed))
            put_identity(*state);
}

// ---- transactions ------------------------------------------------------------------

void session::commit() {
    flush();  // a failed flush restores (or, if the transaction is lost, rolls back) by itself
    if (transaction_) {
        try {
            transaction_->commit();
        } catch (...) {
            abandon_transaction();  // the transaction is over either way
            throw;
        }
    }
    transaction_ended();
    std::vector<detail::object_state*> gone;
    for (auto& [address, state] : states_) {
        if (state->status == object_status::deleted && state->delete_flushed) gone.push_back(state.get());
        state->inserted_depth = state->deleted_depth = state->added_depth = state->removed_depth = -1;
        state->committed_key.reset();  // the key now is the committed one
        if (options_.expire_on_commit && state->status == object_status::persistent) state->expired = true;
    }
    for (auto* state : gone) expunge_state(*state);
    connection_.reset();  // back to the pool
}

void session::transaction_ended() {
    transaction_.reset();
    ++generation_;
    lazy_loads_.clear();  // the N+1 guard counts per transaction
    depth_ = 0;
}

void session::abandon_transaction() {
    try {
        if (transaction_ && transaction_->active()) transaction_->rollback();
    } catch (...) {
        // The connection is gone or the transaction already ended: nothing left to undo.
    }
    transaction_ended();
    after_rollback(0);
    connection_.reset();
}

void session::rollback() { end_by_rollback(true); }

void session::end_by_rollback(bool keep_objects) {
    std::exception_ptr failure;
    if (transaction_ && transaction_->active()) {
        try {
            transaction_->rollback();
        } catch (...) {
            failure = std::current_exception();
        }
    }
    transaction_ended();
    if (keep_objects) {
        after_rollback(0);
    } else {
        // close(): every object is detached and kept (references stay valid while the session lives).
        identity_map_.clear();
        for (auto& [address, state] : states_) {
            state->status = object_status::detached;
            state->earlier = state->later = nullptr;
        }
        detached_.merge(states_);
        first_ = last_ = nullptr;
        recent_adds_.clear();
    }
    connection_.reset();
    if (failure) std::rethrow_exception(failure);
}

void session::after_rollback(int depth) {
    // Objects added or inserted since `depth` are expunged; removals and deletions
    // since are undone; every persistent object is expired (its values may no
    // longer be the row's) and takes back its key as of the last commit.
    std::vector<detail::object_state*> doomed;
    for (auto& [address, state] : states_) {
        detail::object_state& s = *state;
        const bool added_since = s.added_depth >= depth || (depth == 0 && s.status == object_status::pending);
        if ((s.status == object_status::pending && added_since) || s.inserted_depth >= depth) {
            doomed.push_back(&s);
            continue;
        }
        if (s.status == object_status::deleted && (s.removed_depth >= depth || s.deleted_depth >= depth || depth == 0)) {
            s.status = object_status::persistent;
            s.delete_flushed = false;
            s.deleted_depth = s.removed_depth = -1;
        }
        if (s.status == object_status::persistent) {
            s.expired = true;
            if (s.committed_key) s.key = std::move(*std::exchange(s.committed_key, nullptr));
        }
    }
    for (auto* s : doomed) detach(*s);
    rebuild_identity_map();
}

void session::close() { end_by_rollback(false); }  // no expiring or key restoring: every object goes

session::nested_transaction session::begin_nested() {
    flush();
    connection& db = conn();
    transaction tx = db.begin_nested();
    ++depth_;
    return nested_transaction(self_, std::move(tx), depth_, generation_);
}

session::nested_transaction::nested_transaction(std::shared_ptr<session*> owner, transaction tx, int depth,
                                                std::uint64_t generation)
    : owner_(std::move(owner)), tx_(std::move(tx)), depth_(depth), generation_(generation) {}

session::nested_transaction::nested_transaction(nested_transaction&& other) noexcept
    : owner_(std::move(other.owner_)), tx_(std::move(other.tx_)), depth_(other.depth_), generation_(other.generation_),
      active_(other.active_) {
    other.active_ = false;
}

session::nested_transaction::~nested_transaction() {
    if (!active_) return;
    try {
        rollback();
    } catch (...) {
    }
}

void session::nested_transaction::commit() {
    if (!active_) throw interface_error("orm: this savepoint was already committed or rolled back");
    session* owner = owner_ ? *owner_ : nullptr;
    if (!owner || owner->generation_ != generation_) {
        active_ = false;
        throw interface_error("orm: cannot commit the savepoint: its session transaction already ended");
    }
    owner->flush();
    active_ = false;
    tx_->commit();
    // What happened inside now belongs to the enclosing level.
    for (auto& [address, state] : owner->states_) {
        for (int* d : {&state->inserted_depth, &state->deleted_depth, &state->added_depth, &state->removed_depth})
            if (*d >= depth_) *d = depth_ - 1;
    }
    owner->depth_ = depth_ - 1;
}

void session::nested_transaction::rollback() {
    if (!active_) throw interface_error("orm: this savepoint was already committed or rolled back");
    active_ = false;
    session* owner = owner_ ? *owner_ : nullptr;
    if (!owner || owner->generation_ != generation_) return;  // its transaction already ended: nothing to undo
    owner->depth_ = depth_ - 1;
    try {
        tx_->rollback();
    } catch (...) {
        owner->abandon_transaction();
        throw;
    }
    owner->after_rollback(depth_);
}

void session::run_with_retries(const std::function<void()>& body, const retry_policy& policy, const begin_options& begin_with) {
    if (transaction_)
        throw interface_error("orm: run_transaction() starts its own transaction: commit or roll back the open one first");
    auto backoff = policy.initial_backoff;
    for (unsigned attempt = 1;; ++attempt) {
        try {
            if (begin_with.isolation || begin_with.write) begin(begin_with);
            body();
            commit();
            return;
        } catch (const error& e) {
            try {
                rollback();
            } catch (const error&) {
                // The connection is gone; the next attempt opens another.
            }
            const bool stale = policy.retry_stale_data && dynamic_cast<const stale_data_error*>(&e) != nullptr;
            if (!(e.is_retryable() || stale) || attempt >= policy.max_attempts) throw;
        } catch (...) {
            try {
                rollback();
            } catch (...) {
            }
            throw;
        }
        std::this_thread::sleep_for(backoff);
        backoff = std::min(policy.max_backoff,
                           std::chrono::milliseconds(static_cast<std::int64_t>(backoff.count() * policy.multiplier)));
    }
}

namespace {
void fire(const table_info& table, event when, detail::object_state& state) { detail::fire_listeners(table, when, state.object()); }
}  // namespace

}  // namespace orm
