#pragma once
// orm::session: a unit of work with an identity map over plain structs.
//
//   orm::session s(engine);
//   Author& ada = s.add(Author{.name = "Ada"});
//   s.flush();                             // INSERT; ada.id is now set
//   Author* same = s.get<Author>(ada.id);  // the same object, no SQL
//   same->email = "ada@example.org";       // change detected at flush: no setter, no modify()
//   s.commit();                            // UPDATE author SET email = ? WHERE id = ?; COMMIT
//
// Thread safety: a session belongs to one thread at a time (the engine and
// its pool are thread-safe; open one session per thread).
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <memory_resource>
#include <optional>
#include <span>
#include <string_view>
#include <typeindex>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "orm/connection.hpp"
#include "orm/engine.hpp"
#include "orm/error.hpp"
#include "orm/mapping/row.hpp"
#include "orm/mapping/table.hpp"
#include "orm/detail/object_state.hpp"
#include "orm/detail/session_memory.hpp"
#include "orm/query.hpp"
#include "orm/relationship.hpp"

namespace orm {

/// Moments in a flush at which listeners run for each object of a mapped type.
/// before_flush / after_flush run for every object of the type that the flush
/// writes (insert, update or delete): before anything is written (changes a
/// listener makes are included) and after everything is written.
enum class event { before_insert, after_insert, before_update, after_update, before_delete, after_delete, before_flush, after_flush };

namespace detail {
std::uint64_t add_listener(std::type_index type, event when, std::function<void(void*)> listener);
/// Runs the listeners registered for `when` on objects of `table`'s type.
void fire_listeners(const table_info& table, event when, void* object);
/// False while no listener was ever registered (a flush then skips the listener passes).
bool listening();
}  // namespace detail

/// Registers `listener` to run for every T a session flushes, e.g. to stamp a column:
/// `auto id = orm::listen<Book>(orm::event::before_update, [](Book& b) { b.updated_at = now(); });`
/// Returns an id for orm::unlisten. Thread-safe.
template <reflectable T>
std::uint64_t listen(event when, std::function<void(T&)> listener) {
    return detail::add_listener(typeid(T), when, [fn = std::move(listener)](void* object) { fn(*static_cast<T*>(object)); });
}

/// Removes a listener registered with orm::listen.
void unlisten(std::uint64_t listener_id);

/// How session::run_transaction retries: attempts, and exponential backoff between them.
struct retry_policy {
    unsigned max_attempts = 5;
    std::chrono::milliseconds initial_backoff{10};
    double multiplier = 2.0;
    std::chrono::milliseconds max_backoff{1'000};
    /// Also run the unit again after an orm::stale_data_error (a versioned row changed
    /// by another transaction since it was read): the retry reads it afresh.
    bool retry_stale_data = false;
};

/// What the N+1 guard reports: one relationship loaded lazily, object by object,
/// `count` times in one transaction (session_options::n_plus_one_threshold).
struct n_plus_one_report {
    std::string_view relationship;  ///< "Book::author"
    unsigned count = 0;             ///< lazy loads of it so far in this transaction
};

/// Thrown by the N+1 guard in strict mode (session_options::strict_loading).
class n_plus_one_error : public interface_error {
public:
    using interface_error::interface_error;
};

/// Session settings.
struct session_options {
    /// Flush before a query (all) and before a get() that misses the identity map.
    bool autoflush = true;
    /// Expire every object at commit (reloaded by the next get/all). Off by
    /// default: a C++ struct cannot reload itself lazily when read, so keeping
    /// the committed values is the useful default.
    bool expire_on_commit = false;
    /// The isolation level of the session's transactions (none: the server's default).
    std::optional<orm::isolation> isolation;
    /// The N+1 guard: after this many lazy loads (each a SELECT) of one relationship in
    /// one transaction, the session reports it (0: never). Load the relationship for
    /// all parents at once instead.
    unsigned n_plus_one_threshold = 10;
    /// Called once per relationship and transaction when the threshold is reached.
    std::function<void(const n_plus_one_report&)> on_n_plus_one;
    /// Strict mode: a lazy load past the threshold throws orm::n_plus_one_error instead.
    bool strict_loading = false;
    /// Parents per IN query of selectin loading (0: as many as the driver's parameter
    /// limit allows, connection::max_parameters()).
    std::size_t selectin_batch_size = 0;
};

/// A session-owned object seen through a view (new_objects(), dirty(), deleted()).
struct object_ref {
    const table_info* table = nullptr;
    void* object = nullptr;
    /// The object as T, or nullptr if it is not a T.
    template <class T>
    T* as() const {
        return table && table->type == typeid(T) ? static_cast<T*>(object) : nullptr;
    }
};

/// A unit of work: owns objects, tracks their changes, flushes them in
/// dependency order inside one transaction.
///
/// \par Object states
/// An object the session owns is *pending* (added, not yet inserted), *persistent*
/// (it has a row), *deleted* (remove()d; deleted at the next flush) or *detached*
/// (no longer tracked: expunged, added and then rolled back, deleted and committed,
/// or the session was closed). Any other object is *transient*: status() says which.
///
/// \par Object lifetimes
/// A reference or pointer the session hands out (add, get, all, queries, merge)
/// stays valid for as long as the session lives, whatever happens to the object:
/// the session never frees an object before its own destruction. A detached object
/// is readable and writable, but the session no longer flushes or finds it.
///
/// \par Thread safety
/// A session belongs to one thread at a time.
class session : public query_executor, private detail::relationship_loader {
public:
    explicit session(engine db, session_options options = {});
    session(const session&) = delete;
    session& operator=(const session&) = delete;
    /// Rolls back anything uncommitted and returns the connection to the pool.
    ~session() override;

    /// A typed query whose rows are the session's objects (T*), merged into the
    /// identity map; autoflushes before it runs. Results are buffered (all(), a
    /// range-for), so the loop body may use the session; stream() reads them from
    /// the cursor instead. `for (Book* b : s.query<Book>().where(col(&Book::price) > 5.0)) ...`
    /// An unbound `orm::select<T>()` run on a session (`q.all(s)`) reads the same way.
    template <reflectable T>
    select_query<T*, tables<T>> query() & {
        return {sql::select_columns_of(table_of<T>()), detail::sources_of<T>(), anchor()};
    }
    /// A query bound to a temporary session would dangle: it does not compile.
    template <reflectable T>
    select_query<T*, tables<T>> query() && {
        static_assert(!sizeof(T*), "orm: query<T>() of a temporary session would outlive it: keep the session in a variable");
        return {sql::select_columns_of(table_of<T>()), detail::sources_of<T>(), nullptr};
    }
    // execute(orm::update<T>()...) / execute(orm::remove<T>()...) come from query_executor:
    // in a session they autoflush first and expire the objects of T afterwards.

    // query_executor
    detail::stream_lease open_stream() override { return conn().open_stream(); }
    std::unique_ptr<driver::cursor> run_select(const sql::select_statement& statement) override;
    std::uint64_t run_write(const sql::statement& statement) override;
    const orm::dialect& query_dialect() const override { return engine_.sql_dialect(); }
    void* merge_entity(const table_info& table, driver::cursor& rows, std::size_t offset, detail::state_factory make) override;
    void load_related(std::span<const detail::loaded_object> objects, const detail::load_plan* plan) override;

    /// Takes ownership of `object` (moved in; pending until flush) and returns the
    /// session's object: the one the flush writes generated keys into, valid while
    /// the session lives. `Author& ada = s.add(Author{.name = "Ada"});`,
    /// `s.add(std::move(a))`; a copy is spelled out: `s.add(Author(a))`.
    template <class T>
        requires(!std::is_lvalue_reference_v<T> && reflectable<std::remove_cvref_t<T>>)
    [[nodiscard]] std::remove_cvref_t<T>& add(T&& object) {
        using U = std::remove_cvref_t<T>;
        return *static_cast<U*>(adopt(detail::make_state_of<U>(memory_, U(std::move(object))), table_of<U>()));
    }
    /// An lvalue does not compile: add() would keep a copy and leave the original
    /// without its generated key. Move it in, or copy it explicitly.
    template <class T>
        requires reflectable<T>
    T& add(T& object) {
        static_assert(!sizeof(T*), "orm: session::add takes ownership of an rvalue: s.add(std::move(a)) moves it in, "
                                   "s.add(T(a)) adds a copy; use the reference add() returns (it gets the generated key)");
        return object;
    }

    /// add() for every element of a range, moved in: `s.add_all(std::move(authors))`.
    template <class Range>
        requires(!std::is_lvalue_reference_v<Range>)
    void add_all(Range&& objects) {
        for (auto& object : objects) (void)add(std::move(object));
    }

    /// The one session object for this primary key (composite keys: every part,
    /// in key order); loads it on a miss (autoflushing first), nullptr if no row.
    template <reflectable T, class... Key>
    T* get(const Key&... key) {
        std::vector<value> values;  // not a braced list: g++ -O3 then sees no uninitialized variant
        values.reserve(sizeof...(Key));
        (values.push_back(orm::to_value(key)), ...);
        return static_cast<T*>(get_object(table_of<T>(), std::move(values), &detail::make_state<T>));
    }

    /// Every row of T's table (key order), merged into the identity map.
    template <reflectable T>
    std::vector<T*> all() {
        std::vector<T*> out;
        for (void* object : load_all(table_of<T>(), &detail::make_state<T>)) out.push_back(static_cast<T*>(object));
        return out;
    }

    /// Marks a session object for deletion at the next flush (a pending one is simply dropped;
    /// a rollback to before the remove() undoes it).
    template <reflectable T>
    void remove(T& object) {
        remove_object(state_of(&object, table_of<T>()));
    }

    /// Forgets `object`: it is detached, no longer flushed or found; still readable
    /// (its storage is kept until the session is destroyed).
    template <reflectable T>
    void expunge(T& object) {
        expunge_state(state_of(&object, table_of<T>()));
    }

    /// Where `object` stands in this session: pending, persistent, deleted, detached,
    /// or transient (not the session's object).
    template <reflectable T>
    object_status status(const T& object) const {
        return status_of(&object);
    }

    /// Marks `object`'s values as unknown: the next get(), all() or refresh()
    /// reloads them in place; until then flush ignores it. Its relationships are
    /// unloaded (they load again on next access), except links and collections
    /// changed since the last flush.
    template <reflectable T>
    void expire(T& object) {
        detail::object_state& state = state_of(&object, table_of<T>());
        state.expired = true;
        unload_relationships(state);
    }

    /// Reloads `object` from the database now (discarding unflushed changes to its
    /// columns) and unloads its relationships as expire() does.
    template <reflectable T>
    void refresh(T& object) {
        detail::object_state& state = state_of(&object, table_of<T>());
        reload(state);
        unload_relationships(state);
    }

    /// Copies `object`'s column values onto the session's instance with the same key
    /// (loading it, or adding a new pending copy if there is no such row). Relationship
    /// members are not copied: the session's instance keeps its own (they load through
    /// this session); a new copy starts with none.
    template <reflectable T>
    T& merge(const T& object) {
        const auto& table = table_of<T>();
        const auto values = detail::row_codec<T>::values(object);
        if (T* existing = static_cast<T*>(find_for_merge(table, values, &detail::make_state<T>))) {
            check_merge_version(table, values, detail::row_codec<T>::values(*existing));
            detail::copy_columns(*existing, object);
            return *existing;
        }
        T copy(object);
        detail::clear_relationships(copy);
        return add(std::move(copy));
    }

    /// True if a flush would write `object` (pending, deleted, or changed since loaded/flushed).
    template <reflectable T>
    bool is_modified(const T& object) {
        return modified(state_of(&object, table_of<T>()));
    }

    /// True if the session owns `object`.
    template <reflectable T>
    bool contains(const T& object) const {
        return find_state(&object) != nullptr;
    }

    /// Objects added and not yet inserted.
    std::vector<object_ref> new_objects() const;
    /// Persistent objects whose values differ from their snapshot.
    std::vector<object_ref> dirty() const;
    /// Objects marked for deletion (and not yet committed).
    std::vector<object_ref> deleted() const;

    /// Writes every pending change: INSERTs parents before children, UPDATEs
    /// of changed columns only, DELETEs children before parents. On failure the
    /// database and the session are as they were before the flush — unless the
    /// database aborted the whole transaction (deadlock, lost connection): then
    /// the session is rolled back as by rollback() before the error is rethrown.
    void flush();
    /// Writes the objects added since the last flush (INSERTs, parents first)
    /// and `object`'s own change (UPDATE or DELETE), nothing else: O(new
    /// objects), where flush() compares every object the session holds.
    /// For an insert-and-read-the-key loop: `Book& b = s.add(Book{...}); s.flush(b); use(b.id);`.
    template <reflectable T>
    void flush(T& object) {
        flush_selected(&state_of(&object, table_of<T>()));
    }
    /// Flushes, commits, and returns the connection to the pool. A failed flush
    /// behaves as flush() does; a failed COMMIT rolls back (as rollback()) and rethrows.
    void commit();
    /// Rolls back: objects added (or inserted) in the transaction are detached,
    /// persistent ones expired.
    void rollback();
    /// Rolls back and detaches every object (the session can be used again; the
    /// objects stay readable until it is destroyed).
    void close();

    /// A SAVEPOINT inside the session's transaction; rolling it back undoes only its part.
    class nested_transaction {
    public:
        nested_transaction(nested_transaction&& other) noexcept;
        nested_transaction& operator=(nested_transaction&&) = delete;
        ~nested_transaction();
        /// Flushes and releases the savepoint.
        void commit();
        /// Rolls back to the savepoint: objects added since are expunged, deletions undone, the rest expired.
        void rollback();
        bool active() const noexcept { return active_; }

    private:
        friend class session;
        nested_transaction(std::shared_ptr<session*> owner, transaction tx, int depth, std::uint64_t generation);
        std::shared_ptr<session*> owner_;  ///< null once the session is destroyed
        std::optional<transaction> tx_;
        int depth_;
        std::uint64_t generation_;  ///< the session transaction it belongs to
        bool active_ = true;
    };
    /// Flushes, then opens a savepoint.
    nested_transaction begin_nested();

    /// Runs `fn(*this)` in a fresh transaction (begun with `begin`, e.g.
    /// `{.isolation = orm::isolation::serializable}` or `{.write = true}`) and commits;
    /// on a retryable error (deadlock, serialization failure, lock wait timeout,
    /// SQLite busy; a stale row too with `policy.retry_stale_data`) rolls back,
    /// waits with exponential backoff and runs the whole unit again; other errors
    /// propagate at once. A read-modify-write that must not lose updates locks what it reads:
    /// `s.run_transaction([](orm::session& tx) { tx.get<Account>(orm::for_update, 1)->balance += 10; });`
    template <class F>
    void run_transaction(F&& fn, retry_policy policy = {}, begin_options begin = {}) {
        run_with_retries([&] { fn(*this); }, policy, begin);
    }

    /// Loads and locks the row with this key until the transaction ends (SELECT ...
    /// FOR UPDATE), autoflushing first, and refreshes the session's object from it:
    /// `Account* a = s.get<Account>(orm::for_update, 1);`. nullptr if there is no row.
    /// If it is the transaction's first statement, the transaction begins with write
    /// intent (on SQLite: BEGIN IMMEDIATE).
    template <reflectable T, class... Key>
    T* get(lock_request lock, const Key&... key) {
        std::vector<value> values;
        values.reserve(sizeof...(Key));
        (values.push_back(orm::to_value(key)), ...);
        return static_cast<T*>(get_locked(table_of<T>(), std::move(values), lock, &detail::make_state<T>));
    }

    /// Begins the session's transaction now with `options` (else it begins with
    /// the first statement, at the session's isolation level).
    void begin(const begin_options& options);

    /// The session's connection, beginning its transaction if none is open.
    connection& conn();
    /// Turns autoflush on or off.
    void set_autoflush(bool on) { options_.autoflush = on; }
    /// Number of objects the session tracks (detached ones not counted).
    std::size_t size() const { return states_.size(); }

private:
    /// A (table, primary key) looked up in the identity map without copying the key.
    struct identity_ref {
        const table_info* table;
        std::span<const value> key;
    };
    /// Hashes an object state by its table and key (heterogeneous: an identity_ref hashes alike).
    struct identity_hash {
        using is_transparent = void;
        std::size_t operator()(const identity_ref& ref) const noexcept;
        std::size_t operator()(const detail::object_state* state) const noexcept;
    };
    /// Equal table and equal key.
    struct identity_equal {
        using is_transparent = void;
        static identity_ref ref(const identity_ref& r) { return r; }
        static identity_ref ref(const detail::object_state* s) { return {s->table, s->key}; }
        template <class A, class B>
        bool operator()(const A& a, const B& b) const {
            const identity_ref x = ref(a), y = ref(b);
            return x.table == y.table && std::equal(x.key.begin(), x.key.end(), y.key.begin(), y.key.end());
        }
    };
    /// The object in the identity map under (table, key), or nullptr.
    detail::object_state* find_identity(const table_info& table, std::span<const value> key) const;
    /// Puts `state` into the identity map under its key (replacing any object held under that key).
    void put_identity(detail::object_state& state);
    /// Takes `state` out of the identity map (if it is the one held under its key).
    void drop_identity(detail::object_state& state);

    void* adopt(detail::state_ptr state, const table_info& table);

    // ---- relationships (session_relationships.cpp) ----
    // detail::relationship_loader: lazy loads and in-memory links of relationship members.
    void load(detail::object_state& owner, detail::to_one_base& member) override;
    void load(detail::object_state& owner, detail::collection_base& member) override;
    void linked(detail::object_state& owner, detail::to_one_base& member, void* before) override;
    void appended(detail::object_state& owner, detail::collection_base& member, void* item) override;
    void removed(detail::object_state& owner, detail::collection_base& member, void* item) override;
    /// Unloads the relationship members of `state`'s object that carry no unflushed change.
    void unload_relationships(detail::object_state& state);
    /// Installs the session into the relationship members of `state`'s object (`is_new`: pending, so its collections are empty).
    void attach_relationships(detail::object_state& state, bool is_new);
    /// Writes the keys that relationship links imply into foreign-key columns (flush). Pending
    /// objects whose parent has no key yet are appended to `unresolved`; persistent objects a
    /// write changed to `written`.
    void sync_relationships(std::vector<detail::object_state*>* unresolved, std::vector<detail::object_state*>* written);
    /// After a successful flush: links written, removals done.
    void relationships_flushed();
    /// orm::cascade::remove: marks the children of `root` (just marked deleted) deleted, level by
    /// level (loading the collections not loaded, unless passive), and drops their new children.
    /// If a load fails, every mark it made is undone and the error propagates.
    void cascade_removal(detail::object_state& root);
    /// Counts a lazy load of `r` for the N+1 guard (throws in strict mode past the threshold).
    void note_lazy_load(const relationship_info& r);
    // ---- loading strategies (session_loading.cpp) ----
    /// Loads the relationships of `states` (objects just read) that `plan` or their declared
    /// strategy loads selectin, level by level; applies the plan's other strategies to them.
    void eager_load(std::vector<detail::object_state*> states, std::span<const detail::load_plan_node> plan);
    /// eager_load() of objects just read without a plan, if their table loads something selectin.
    void eager_load_defaults(const table_info& table, std::vector<detail::object_state*> states) {
        if (table.selectin_by_default) eager_load(std::move(states), {});
    }
    /// One selectin relationship for `owners` (one table's): one IN query per batch of them.
    /// Returns the objects it loaded (with `all_targets`, also those already loaded), for the next level.
    std::vector<detail::object_state*> select_in(const relationship_info& r, std::span<detail::object_state* const> owners, bool all_targets);
    std::vector<detail::object_state*> select_in_children(const relationship_info& r, std::span<detail::object_state* const> owners,
                                                          bool all_targets);
    std::vector<detail::object_state*> select_in_parents(const relationship_info& r, std::span<detail::object_state* const> owners,
                                                         bool all_targets);
    /// How many keys of `width` columns one IN query holds.
    std::size_t selectin_batch(std::size_t width);
    /// Takes `state` into states_, last in add/load order.
    detail::object_state* own(detail::state_ptr state);
    /// The states `wanted` picks, in add/load order.
    template <class Wanted>
    std::vector<detail::object_state*> in_order(Wanted&& wanted) const {
        std::vector<detail::object_state*> out;
        for (detail::object_state* s = first_; s; s = s->later)
            if (wanted(*s)) out.push_back(s);
        return out;
    }
    detail::object_state* find_state(const void* object) const;
    object_status status_of(const void* object) const;
    /// Stops tracking `state` (it leaves the identity map and the add/load order) and
    /// keeps it, detached, until the session is destroyed.
    void detach(detail::object_state& state);
    detail::object_state& state_of(const void* object, const table_info& table) const;
    void* get_object(const table_info& table, std::vector<value> key, detail::state_factory make);
    std::vector<void*> load_all(const table_info& table, detail::state_factory make);
    void* find_for_merge(const table_info& table, const std::vector<value>& values, detail::state_factory make);
    void check_merge_version(const table_info& table, const std::vector<value>& incoming, const std::vector<value>& current) const;
    detail::object_state* merge_row(const table_info& table, driver::cursor& rows, detail::state_factory make);
    void remove_object(detail::object_state& state);
    void expunge_state(detail::object_state& state);
    void reload(detail::object_state& state);
    bool reload_or_drop(detail::object_state& state);
    void flush_selected(detail::object_state* only);
    std::vector<detail::object_state*> recently_added_pending();
    void flush_inserts(const table_info& table, std::vector<detail::object_state*> states);
    /// An object a flush updates, with the fields found changed when it was picked:
    /// `count` indices from `first` in the flush's list of changed fields.
    struct update_candidate {
        detail::object_state* state;
        std::size_t first, count;
    };
    /// UPDATEs the changed objects of `table` (their changed fields in `changed_fields`);
    /// the keys an UPDATE changes are appended to `old_keys` (object, key before) for a
    /// failed flush to put back.
    void flush_updates(const table_info& table, std::span<const update_candidate> updates, const std::vector<std::size_t>& changed_fields,
                       std::vector<std::pair<detail::object_state*, detail::key_values>>& old_keys);
    void flush_deletes(const table_info& table, std::vector<detail::object_state*> states);
    /// Before rows are deleted: their orm::post_update foreign keys are set to NULL (another row being
    /// deleted may point back at them).
    void clear_post_update_links(const std::vector<detail::object_state*>& states);
    void rebuild_identity_map();
    bool modified(detail::object_state& state) const;
    void after_rollback(int depth);
    /// Rolls the transaction back; then expires and restores the objects (rollback())
    /// or drops them all (close()).
    void end_by_rollback(bool keep_objects);
    void abandon_transaction();
    /// Forgets the transaction that just ended (committed, rolled back or lost): no open
    /// transaction or savepoint, a new generation, the N+1 guard's counts reset.
    void transaction_ended();
    void run_with_retries(const std::function<void()>& body, const retry_policy& policy, const begin_options& begin);
    void* get_locked(const table_info& table, std::vector<value> key, lock_request lock, detail::state_factory make);
    /// conn(), beginning the transaction (if none is open) with write intent when `write`.
    connection& conn_for(bool write);
    std::vector<value> normalized_key(const table_info& table, std::vector<value> key) const;
    std::vector<value> key_of(const table_info& table, const std::vector<value>& values) const;
    void autoflush();

    engine engine_;
    session_options options_;
    std::unique_ptr<connection> connection_;
    std::optional<transaction> transaction_;
    int depth_ = 0;  ///< open savepoints
    std::uint64_t generation_ = 0;  ///< bumped whenever the session's transaction ends
    std::shared_ptr<session*> self_ = std::make_shared<session*>(this);  ///< lets savepoint objects outlive us safely
    std::uint64_t next_sequence_ = 0;
    bool flushing_ = false;
    bool relationships_ = false;  ///< some object the session owns has relationships
    std::vector<const table_info*> checked_tables_;  ///< tables whose relationships were checked
    /// Relationship members a flush wrote from (cleared when it succeeds).
    std::vector<detail::to_one_base*> synced_links_;
    std::vector<detail::collection_base*> synced_collections_;
    /// Lazy loads per relationship in this transaction (the N+1 guard).
    std::vector<std::pair<const relationship_info*, unsigned>> lazy_loads_;
    bool refresh_on_merge_ = false;  ///< the rows being merged were read with a lock: refresh existing objects
    /// Addresses of objects added since the last full flush (some may since be
    /// flushed, expunged or gone: checked against states_ when read).
    std::vector<const void*> recent_adds_;
    /// The memory of the states and of the maps below (declared first: freed last).
    detail::session_memory memory_;
    /// Every object the session owns, by address.
    detail::state_map states_{&memory_};
    detail::object_state* first_ = nullptr;  ///< the oldest state in add/load order
    detail::object_state* last_ = nullptr;   ///< the newest
    /// Objects no longer tracked, kept until the session is destroyed (references stay valid).
    detail::state_map detached_{&memory_};
    /// Persistent (and deleted, not yet flushed) objects by table and key; the key
    /// lives in the state, and an object's key never changes while it is in here.
    std::pmr::unordered_set<detail::object_state*, identity_hash, identity_equal> identity_map_{&memory_};
};

}  // namespace orm
