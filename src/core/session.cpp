// orm::session: identity map, change detection, dependency-ordered flush,
// transactions, savepoints and retries.
#include "orm/session.hpp"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

#include "orm/schema.hpp"

namespace orm {

namespace {

std::size_t hash_key_part(const value& v) noexcept {
    return std::visit(
        [](const auto& x) -> std::size_t {
            using X = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<X, std::string>) return std::hash<std::string_view>{}(x);
            else if constexpr (std::is_same_v<X, blob>)
                return std::hash<std::string_view>{}(std::string_view(reinterpret_cast<const char*>(x.data()), x.size()));
            else if constexpr (std::is_arithmetic_v<X>) return std::hash<X>{}(x);
            else return 0;  // NULL (never part of a key)
        },
        v);
}

}  // namespace

std::size_t session::identity_hash::operator()(const identity_ref& ref) const noexcept {
    std::size_t h = std::hash<const void*>{}(ref.table);
    for (const value& v : ref.key) h ^= hash_key_part(v) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    return h;
}

std::size_t session::identity_hash::operator()(const detail::object_state* state) const noexcept {
    return (*this)(identity_ref{state->table, state->key});
}

detail::object_state* session::find_identity(const table_info& table, std::span<const value> key) const {
    auto it = identity_map_.find(identity_ref{&table, key});
    return it == identity_map_.end() ? nullptr : *it;
}

void session::put_identity(detail::object_state& state) {
    auto [it, inserted] = identity_map_.insert(&state);
    if (!inserted && *it != &state) {  // another object held that key: this one takes it
        identity_map_.erase(it);
        identity_map_.insert(&state);
    }
}

void session::drop_identity(detail::object_state& state) {
    if (state.key.empty()) return;
    auto it = identity_map_.find(&state);
    if (it != identity_map_.end() && *it == &state) identity_map_.erase(it);
}

// ---- listeners -----------------------------------------------------------------

namespace {

struct listener_entry {
    std::uint64_t id;
    std::type_index type;
    event when;
    std::function<void(void*)> call;
};

struct listener_registry {
    std::mutex mutex;
    std::vector<listener_entry> entries;
    std::atomic<bool> any{false};
    std::uint64_t next_id = 1;
};

listener_registry& listeners() {
    static listener_registry registry;
    return registry;
}

}  // namespace

void detail::fire_listeners(const table_info& table, event when, void* object) {
    listener_registry& registry = listeners();
    if (!registry.any.load(std::memory_order_acquire)) return;
    std::vector<std::function<void(void*)>> matching;
    {
        std::lock_guard lock(registry.mutex);
        for (const auto& entry : registry.entries)
            if (entry.type == table.type && entry.when == when) matching.push_back(entry.call);
    }
    for (auto& call : matching) call(object);
}

namespace {

std::string describe_key(const table_info& table, std::span<const value> key) {
    std::string out = table.name + " (";
    for (std::size_t k = 0; k < key.size(); ++k)
        out += (k ? ", " : "") + table.columns[table.primary_key[k]].name + " = " + to_display_string(key[k]);
    return out + ")";
}

}  // namespace

std::uint64_t detail::add_listener(std::type_index type, event when, std::function<void(void*)> listener) {
    listener_registry& registry = listeners();
    std::lock_guard lock(registry.mutex);
    const std::uint64_t id = registry.next_id++;
    registry.entries.push_back({id, type, when, std::move(listener)});
    registry.any.store(true, std::memory_order_release);
    return id;
}

bool detail::listening() { return listeners().any.load(std::memory_order_acquire); }

void unlisten(std::uint64_t listener_id) {
    listener_registry& registry = listeners();
    std::lock_guard lock(registry.mutex);
    std::erase_if(registry.entries, [&](const listener_entry& e) { return e.id == listener_id; });
    registry.any.store(!registry.entries.empty(), std::memory_order_release);
}

// ---- session: ownership and the identity map --------------------------------------

session::session(engine db, session_options options) : engine_(std::move(db)), options_(options) {}

session::~session() {
    *self_ = nullptr;  // savepoint objects that outlive the session become inert
    try {
        if (transaction_ && transaction_->active()) transaction_->rollback();
    } catch (...) {
        // The pool rolls back or discards the connection.
    }
    transaction_.reset();
    connection_.reset();
    identity_map_.clear();  // the objects go with the session's memory
}

connection& session::conn() { return conn_for(false); }

connection& session::conn_for(bool write) {
    if (!connection_) connection_ = std::make_unique<connection>(engine_.connect());
    if (!transaction_) transaction_.emplace(connection_->begin({options_.isolation, write}));
    return *connection_;
}

void session::begin(const begin_options& options) {
    if (transaction_) throw interface_error("orm: the session's transaction is already open: commit or roll back first");
    if (!connection_) connection_ = std::make_unique<connection>(engine_.connect());
    begin_options with_level = options;
    if (!with_level.isolation) with_level.isolation = options_.isolation;
    transaction_.emplace(connection_->begin(with_level));
}

void* session::get_locked(const table_info& table, std::vector<value> key, lock_request lock, detail::state_factory make) {
    key = normalized_key(table, std::move(key));
    autoflush();
    connection& db = conn_for(true);
    auto rows = db.run_select(detail::locking_select_by_key(table, key, lock));
    if (!rows || !rows->next()) return nullptr;
    refresh_on_merge_ = true;
    struct reset {
        bool& flag;
        ~reset() { flag = false; }
    } done{refresh_on_merge_};
    detail::object_state* state = merge_row(table, *rows, make);
    rows.reset();
    refresh_on_merge_ = false;  // what eager loading reads next is not locked
    if (state->status == object_status::deleted) return nullptr;
    eager_load_defaults(table, {state});
    return state->object();
}

void* session::adopt(detail::state_ptr state, const table_info& table) {
    state->table = &table;
    state->status = object_status::pending;
    state->sequence = next_sequence_++;
    state->added_depth = depth_;
    attach_relationships(*state, true);  // first: if the model is refused, the session is untouched
    void* object = own(std::move(state))->object();
    recent_adds_.push_back(object);
    return object;
}

detail::object_state* session::own(detail::state_ptr state) {
    detail::object_state* s = state.get();
    states_.emplace(s->object(), std::move(state));  // first: if it throws, the order is untouched
    s->earlier = last_;
    s->later = nullptr;
    (last_ ? last_->later : first_) = s;
    last_ = s;
    return s;
}

void session::detach(detail::object_state& state) {
    drop_identity(state);
    (state.earlier ? state.earlier->later : first_) = state.later;
    (state.later ? state.later->earlier : last_) = state.earlier;
    state.earlier = state.later = nullptr;
    state.status = object_status::detached;
    // The node moves between maps of the same memory: nothing is freed or copied.
    detached_.insert(states_.extract(state.object()));
}

object_status session::status_of(const void* object) const {
    if (const detail::object_state* state = find_state(object)) return state->status;
    return detached_.contains(object) ? object_status::detached : object_status::transient;
}

detail::object_state* session::find_state(const void* object) const {
    auto it = states_.find(object);
    return it == states_.end() ? nullptr : it->second.get();
}

detail::object_state& session::state_of(const void* object, const table_info& table) const {
    detail::object_state* state = find_state(object);
    if (!state || state->table != &table) {
        if (detached_.contains(object))
            throw interface_error("orm: this " + table.name + " object is detached from the session (expunged, rolled back, deleted "
                                  "and committed, or closed): merge() a copy of it to track it again");
        throw interface_error("orm: this " + table.name + " object is not owned by the session (use the reference add() or get() returned)");
    }
    return *state;
}

std::vector<value> session::normalized_key(const table_info& table, std::vector<value> key) const {
    if (key.size() != table.primary_key.size())
        throw interface_error("orm: table '" + table.name + "' has a " + std::to_string(table.primary_key.size()) +
                              "-column primary key but " + std::to_string(key.size()) + " values were given");
    for (std::size_t k = 0; k < key.size(); ++k) {
        const column_info& c = table.columns[table.primary_key[k]];
        if (c.type.kind != type_kind::integer) continue;
        if (c.type.is_unsigned) {
            if (const auto* i = std::get_if<std::int64_t>(&key[k]); i && *i >= 0) key[k] = static_cast<std::uint64_t>(*i);
        } else if (const auto* u = std::get_if<std::uint64_t>(&key[k]); u && std::in_range<std::int64_t>(*u)) {
            key[k] = static_cast<std::int64_t>(*u);
        }
    }
    return key;
}

std::vector<value> session::key_of(const table_info& table, const std::vector<value>& values) const {
    std::vector<value> key;
    for (std::size_t field : table.primary_key) key.push_back(values[field]);
    return key;
}

void session::autoflush() {
    if (options_.autoflush && !flushing_) flush();
}

detail::object_state* session::merge_row(const table_info& table, driver::cursor& rows, detail::state_factory make) {
    detail::state_ptr fresh = make(memory_);
    for (std::size_t i = 0; i < table.columns.size(); ++i) fresh->read(i, rows, i);
    for (std::size_t field : table.primary_key) fresh->key.push_back(fresh->get(field));
    if (detail::object_state* existing = find_identity(table, fresh->key)) {
        if (refresh_on_merge_ && !existing->expired && existing->status == object_status::persistent) {
            // A locking read: the object takes the locked row's values, which must not lose a change.
            if (modified(*existing))
                throw interface_error("orm: a locking read of " + describe_key(table, existing->key) +
                                      " would overwrite its unflushed changes: flush first");
            existing->expired = true;
        }
        if (existing->expired) {  // reload in place; unexpired objects keep their unflushed changes
            std::vector<value> values = fresh->values();
            for (std::size_t i = 0; i < table.columns.size(); ++i) existing->set(i, values[i]);
            existing->take_snapshot(std::move(values));
            existing->expired = false;
        }
        return existing;
    }
    fresh->table = &table;
    fresh->status = object_status::persistent;
    fresh->take_typed_snapshot();  // the snapshot's values are built only if the object changes
    fresh->sequence = next_sequence_++;
    attach_relationships(*fresh, false);
    detail::object_state* state = own(std::move(fresh));
    identity_map_.insert(state);
    return state;
}

void* session::get_object(const table_info& table, std::vector<value> key, detail::state_factory make) {
    key = normalized_key(table, std::move(key));
    detail::object_state* state = find_identity(table, key);
    if (!state && !recently_added_pending().empty()) {
        // A pending object with this key becomes visible. Only new objects can
        // matter here (a changed loaded object keeps its identity-map key until
        // flushed), so a get() with none pending costs no scan of the session.
        autoflush();
        state = find_identity(table, key);
    }
    if (state) {
        if (state->status == object_status::deleted) return nullptr;
        if (state->expired && !reload_or_drop(*state)) return nullptr;
        return state->object();
    }
    connection& db = conn();
    auto rows = db.select_by_key(table, key);
    if (!rows || !rows->next()) return nullptr;
    refresh_on_merge_ = false;  // set by the last locking query: not this read
    detail::object_state* loaded = merge_row(table, *rows, make);
    rows.reset();
    eager_load_defaults(table, {loaded});
    return loaded->object();
}

std::vector<void*> session::load_all(const table_info& table, detail::state_factory make) {
    autoflush();
    sql::select_statement select = sql::select_columns_of(table);
    for (std::size_t k : table.primary_key) select.order_by.push_back({sql::expression::column(table.name, table.columns[k])});
    auto rows = conn().run(engine_.sql_dialect().compile(select));
    refresh_on_merge_ = false;  // set by the last locking query: not this read
    std::vector<void*> out;
    std::vector<detail::object_state*> loaded;
    while (rows && rows->next()) {
        detail::object_state* state = merge_row(table, *rows, make);
        if (state->status == object_status::deleted) continue;
        out.push_back(state->object());
        if (table.selectin_by_default) loaded.push_back(state);
    }
    rows.reset();
    eager_load_defaults(table, std::move(loaded));
    return out;
}

std::unique_ptr<driver::cursor> session::run_select(const sql::select_statement& statement) {
    autoflush();
    // A locking read refreshes the objects it reads; as a transaction's first statement
    // it begins the transaction with write intent (SQLite: BEGIN IMMEDIATE).
    refresh_on_merge_ = statement.lock.has_value();
    return conn_for(statement.lock.has_value()).run_select(statement);
}

std::uint64_t session::run_write(const sql::statement& statement) {
    autoflush();
    connection& db = conn();
    db.run(engine_.sql_dialect().compile(statement));
    const std::uint64_t matched = db.affected_rows();
    // The rows of that table may differ from the objects now: reload them on next use.
    const std::string* table = std::visit(
        [](const auto& s) -> const std::string* {
            using S = std::decay_t<decltype(s)>;
            if constexpr (std::is_same_v<S, sql::update_statement> || std::is_same_v<S, sql::delete_statement>) return &s.table.name;
            else return nullptr;
        },
        statement);
    for (auto& [address, state] : states_)
        if (table && state->table->name == *table && state->status == object_status::persistent) state->expired = true;
    return matched;
}

void* session::merge_entity(const table_info& table, driver::cursor& rows, std::size_t offset, detail::state_factory make) {
    if (detail::key_is_null(rows, table, offset)) return nullptr;
    detail::object_state* state;
    if (offset == 0 && rows.column_count() == table.columns.size()) {  // the row is the object: no view needed
        state = merge_row(table, rows, make);
    } else {
        detail::offset_cursor view(rows, offset, table.columns.size());
        state = merge_row(table, view, make);
    }
    return state->status == object_status::deleted ? nullptr : state->object();
}

void* session::find_for_merge(const table_info& table, const std::vector<value>& values, detail::state_factory make) {
    for (std::size_t field : table.primary_key)
        if (table.columns[field].auto_increment && detail::is_unset_key(values[field])) return nullptr;  // no key: new
    const std::vector<value> key = normalized_key(table, key_of(table, values));
    for (auto& [address, state] : states_)  // a pending object with that key (autoflush off)
        if (state->status == object_status::pending && state->table == &table && key_of(table, state->values()) == key)
            return state->object();
    return get_object(table, key, make);
}

void session::remove_object(detail::object_state& state) {
    if (state.status == object_status::pending) {
        expunge_state(state);
        return;
    }
    if (state.status == object_status::persistent) {
        state.status = object_status::deleted;
        state.removed_depth = depth_;
        if (state.table->cascades_removal) cascade_removal(state);
    }
}

void session::check_merge_version(const table_info& table, const std::vector<value>& incoming,
                                  const std::vector<value>& current) const {
    if (!table.version_column) return;
    const value& theirs = incoming[*table.version_column];
    const value& ours = current[*table.version_column];
    if (theirs != ours && !detail::is_unset_key(theirs))
        throw stale_data_error("orm: merge() of a " + table.name + " at version " + to_display_string(theirs) +
                               " onto the session's copy at version " + to_display_string(ours) +
                               ": it was changed since that copy was read");
}

void session::expunge_state(detail::object_state& state) { detach(state); }

bool session::reload_or_drop(detail::object_state& state) {
    const table_info& table = *state.table;
    connection& db = conn();
    auto rows = db.select_by_key(table, state.key);
    if (!rows || !rows->next()) {
        expunge_state(state);
        return false;
    }
    for (std::size_t i = 0; i < table.columns.size(); ++i) state.read(i, *rows, i);
    state.take_typed_snapshot();
    state.expired = false;
    return true;
}

void session::reload(detail::object_state& state) {
    if (state.status == object_status::pending) throw interface_error("orm: refresh() of an object that was never flushed");
    const std::string what = describe_key(*state.table, state.key);
    if (!reload_or_drop(state))
        throw stale_data_error("orm: cannot refresh " + what + ": the row no longer exists (the object was expunged)");
}

bool session::modified(detail::object_state& state) const {
    switch (state.status) {
        case object_status::pending: return true;
        case object_status::deleted: return !state.delete_flushed;
        case object_status::persistent: return !state.expired && !state.same_as_snapshot() && state.values() != state.snapshot();
        case object_status::detached:
        case object_status::transient: return false;
    }
    return false;
}

namespace {
std::vector<object_ref> refs(const std::vector<detail::object_state*>& states) {
    std::vector<object_ref> out;
    for (auto* s : states) out.push_back({s->table, s->object()});
    return out;
}
}  // namespace

std::vector<object_ref> session::new_objects() const {
    return refs(in_order([](const detail::object_state& s) { return s.status == object_status::pending; }));
}
std::vector<object_ref> session::dirty() const {
    return refs(in_order([](const detail::object_state& s) {
        return s.status == object_status::persistent && !s.expired && !s.same_as_snapshot() && s.values() != s.snapshot();
    }));
}
std::vector<object_ref> session::deleted() const {
    return refs(in_order([](const detail::object_state& s) { return s.status == object_status::deleted; }));
}

}  // namespace orm
