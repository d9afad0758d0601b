// orm::engine: the connection pool and the SQL log.
#include <cstdio>
#include <iostream>

#include "orm/connection.hpp"
#include "orm/detail/engine_state.hpp"
#include "orm/error.hpp"

namespace orm {

namespace detail {

std::unique_ptr<driver::connection> engine_state::checkout() {
    std::unique_lock lock(mutex);
    const auto deadline = std::chrono::steady_clock::now() + options.checkout_timeout;
    const std::size_t limit = options.pool_size + options.max_overflow;
    bool waited = false;
    for (;;) {
        while (!idle.empty()) {
            auto native = std::move(idle.back());
            idle.pop_back();
            const auto now = std::chrono::steady_clock::now();
            const bool too_old = options.recycle.count() > 0 && now - born[native.get()].opened >= options.recycle;
            // A pre-ping (a driver round trip, no SQL) runs outside the lock.
            lock.unlock();
            const bool alive = !too_old && (!options.pre_ping || native->ping());
            lock.lock();
            if (alive) return native;
            born.erase(native.get());
            --open;
            ++(too_old ? stats.recycled : stats.invalidated);
            // A failed ping means the server dropped its sessions (restart,
            // fail-over): the other idle connections are as dead as this one.
            std::vector<std::unique_ptr<driver::connection>> closing;
            if (!too_old) invalidate_all_locked(closing);
            lock.unlock();
            native.reset();  // close outside the lock
            closing.clear();
            lock.lock();
        }
        if (open < limit) break;
        // The one connection of an in-memory database is out, most often held by
        // this very caller: say so at once instead of waiting out checkout_timeout.
        if (one_connection_database)
            throw interface_error("orm: " + target.redacted() +
                                  " is an in-memory database, which lives in its one connection (each further connection "
                                  "would be a separate, empty database), and that connection is checked out: hold one "
                                  "connection at a time, or use a database file");
        if (!waited) ++stats.waits;
        waited = true;
        if (returned.wait_until(lock, deadline) == std::cv_status::timeout && idle.empty() && open >= limit)
            throw timeout_error("orm: no connection became free within " + std::to_string(options.checkout_timeout.count()) +
                                " ms (pool_size " + std::to_string(options.pool_size) + ", max_overflow " +
                                std::to_string(options.max_overflow) + ", all checked out)");
    }
    ++open;
    // The epoch as the connection starts opening: an invalidation while it
    // opens makes it stale (one needless reconnect, never a stale session kept).
    const std::uint64_t opened_in = epoch;
    lock.unlock();
    try {
        auto native = db_driver->connect(target, options.connect);
        std::call_once(configured, [&] { sql_dialect->configure(read_server_info(*native)); });
        run_on_connect_sql(*native);
        lock.lock();
        born[native.get()] = birth{std::chrono::steady_clock::now(), opened_in};
        ++stats.opened;
        return native;
    } catch (...) {
        if (!lock.owns_lock()) lock.lock();
        --open;
        lock.unlock();
        returned.notify_one();
        throw;
    }
}

server_info engine_state::read_server_info(driver::connection& native) const {
    server_info info{native.server_version(), {}, options.use_returning};
    if (const std::string query = sql_dialect->server_settings_sql(); !query.empty()) {
        auto rows = native.execute(query, {}, true);
        if (rows && rows->next())
            for (std::size_t i = 0; i < rows->column_count(); ++i) {
                const value v = rows->get(i);
                info.settings[rows->column_name(i)] = std::holds_alternative<std::string>(v) ? std::get<std::string>(v) : to_display_string(v);
            }
    }
    return info;
}

void engine_state::run_on_connect_sql(driver::connection& native) const {
    for (const std::string& statement : sql_dialect->on_connect_sql()) {
        const auto start = std::chrono::steady_clock::now();
        native.execute_simple(statement);
        log(statement, {}, std::chrono::steady_clock::now() - start, true);
    }
}

engine_state::reset_outcome engine_state::reset_session(driver::connection& native) const {
    if (one_connection_database) {
        // Closing it would lose the database: reset it where the driver can, and
        // make orm's own settings again in any case.
        try {
            native.reset_session();
        } catch (const std::exception&) {
        }
        try {
            run_on_connect_sql(native);
        } catch (const std::exception&) {
        }
        return reset_outcome::reset;
    }
    try {
        if (!native.reset_session()) return reset_outcome::cannot_reset;
        run_on_connect_sql(native);
        return reset_outcome::reset;
    } catch (const std::exception&) {
        return reset_outcome::failed;
    }
}

void engine_state::checkin(std::unique_ptr<driver::connection> native, bool ran_user_sql) {
    bool keep = native && native->is_usable();
    if (keep && native->may_be_in_transaction()) {
        try {
            native->execute_simple(sql_dialect->rollback_sql());
        } catch (const std::exception&) {
            keep = false;
        }
    }
    // SQL of the user's may have changed the session (sql_mode, isolation level,
    // PRAGMA foreign_keys, temporary tables): the next user must not inherit it.
    const bool resetting = keep && ran_user_sql;
    bool cannot_reset = false;
    if (resetting) {
        const reset_outcome outcome = reset_session(*native);
        keep = outcome == reset_outcome::reset;
        cannot_reset = outcome == reset_outcome::cannot_reset;  // closed, but not broken
    }
    const bool lost = native && !native->is_usable();  // the server connection is gone (maybe during that rollback or reset)
    std::vector<std::unique_ptr<driver::connection>> closing;
    {
        std::lock_guard lock(mutex);
        const auto found = born.find(native.get());
        const bool stale = found != born.end() && found->second.epoch != epoch;
        // A connection that broke while checked out, and that no invalidation
        // has covered yet, is news of a disconnect: invalidate the whole pool.
        if (lost && !stale) invalidate_all_locked(closing);
        if (resetting) ++stats.sessions_reset;
        if (keep && !stale && idle.size() < options.pool_size) {
            idle.push_back(std::move(native));
        } else {
            if ((!keep && !cannot_reset) || stale) ++stats.invalidated;
            if (found != born.end()) born.erase(found);
            closing.push_back(std::move(native));
            --open;
        }
    }
    returned.notify_all();
    // `closing` (an overflow, broken or stale connection, and idle ones an
    // invalidation caught) closes here, outside the lock.
}

void engine_state::connection_lost(const driver::connection& native) {
    std::vector<std::unique_ptr<driver::connection>> closing;
    {
        std::lock_guard lock(mutex);
        const auto found = born.find(&native);
        if (found == born.end() || found->second.epoch != epoch) return;  // already covered
        invalidate_all_locked(closing);
    }
    returned.notify_all();
}

void engine_state::invalidate_all_locked(std::vector<std::unique_ptr<driver::connection>>& closing) {
    ++epoch;
    ++stats.pool_invalidations;
    stats.invalidated += idle.size();
    open -= idle.size();
    for (auto& c : idle) {
        born.erase(c.get());
        closing.push_back(std::move(c));
    }
    idle.clear();
}

void engine_state::log(std::string_view sql, std::span<const value> params, std::chrono::nanoseconds duration,
                       bool succeeded) const {
    const std::span<const value> shown = options.hide_parameters ? std::span<const value>{} : params;
    if (options.on_sql) options.on_sql(sql_event{sql, shown, duration, succeeded});
    if (observed.load(std::memory_order_acquire)) {
        std::vector<std::shared_ptr<std::function<void(const sql_event&)>>> calling;
        {
            std::lock_guard lock(observers_mutex);
            for (const auto& [id, fn] : observers) calling.push_back(fn);
        }
        for (const auto& fn : calling) (*fn)(sql_event{sql, shown, duration, succeeded});
    }
    if (options.echo) {
        std::string line = "[orm] ";
        line += sql;
        if (options.hide_parameters && !params.empty()) {
            line += " [parameters hidden]";
        } else if (!params.empty()) {
            line += " [";
            for (std::size_t i = 0; i < params.size(); ++i) line += (i ? ", " : "") + to_display_string(params[i]);
            line += "]";
        }
        char timing[48];
        std::snprintf(timing, sizeof timing, " (%.3f ms%s)", duration.count() / 1e6, succeeded ? "" : ", failed");
        line += timing;
        std::cerr << line << '\n';
    }
}

}  // namespace detail

engine::engine(url target, std::unique_ptr<orm::dialect> sql_dialect, std::unique_ptr<driver::driver> db_driver,
               engine_options options)
    : state_(std::make_shared<detail::engine_state>()) {
    if (options.pool_size == 0) throw interface_error("orm: engine_options.pool_size must be at least 1");
    state_->target = std::move(target);
    state_->sql_dialect = std::move(sql_dialect);
    state_->db_driver = std::move(db_driver);
    state_->options = std::move(options);
    if (state_->db_driver->database_lives_in_connection(state_->target)) {
        // A second connection would open a second, empty database: share the one.
        state_->one_connection_database = true;
        state_->options.pool_size = 1;
        state_->options.max_overflow = 0;
    }
    state_->options.connect.last_errors_sql = state_->sql_dialect->last_errors_sql();
    state_->options.connect.tls_status_sql = state_->sql_dialect->tls_status_sql();
}

connection engine::connect() const { return connection(state_, state_->checkout()); }

const orm::dialect& engine::sql_dialect() const { return *state_->sql_dialect; }
const url& engine::target() const { return state_->target; }

std::size_t engine::checked_out() const {
    std::lock_guard lock(state_->mutex);
    return state_->open - state_->idle.size();
}

pool_status engine::status() const {
    std::lock_guard lock(state_->mutex);
    pool_status s = state_->stats;
    s.idle = state_->idle.size();
    s.in_use = state_->open - s.idle;
    s.overflow = state_->open > state_->options.pool_size ? state_->open - state_->options.pool_size : 0;
    return s;
}

std::size_t engine::idle() const {
    std::lock_guard lock(state_->mutex);
    return state_->idle.size();
}

void engine::dispose() const {
    std::vector<std::unique_ptr<driver::connection>> closing;
    {
        std::lock_guard lock(state_->mutex);
        closing.swap(state_->idle);
        state_->open -= closing.size();
        for (const auto& c : closing) state_->born.erase(c.get());
    }
    state_->returned.notify_all();
}

void engine::invalidate_pool() const {
    std::vector<std::unique_ptr<driver::connection>> closing;
    {
        std::lock_guard lock(state_->mutex);
        state_->invalidate_all_locked(closing);
    }
    state_->returned.notify_all();
}

}  // namespace orm

namespace orm {

sql_subscription engine::observe_sql(std::function<void(const sql_event&)> observer) const {
    std::lock_guard lock(state_->observers_mutex);
    const std::uint64_t id = state_->next_observer++;
    state_->observers.emplace_back(id, std::make_shared<std::function<void(const sql_event&)>>(std::move(observer)));
    state_->observed.store(true, std::memory_order_release);
    return sql_subscription(state_, id);
}

sql_subscription::sql_subscription(sql_subscription&& other) noexcept : engine_(std::move(other.engine_)), id_(std::exchange(other.id_, 0)) {}

sql_subscription& sql_subscription::operator=(sql_subscription&& other) noexcept {
    if (this != &other) {
        reset();
        engine_ = std::move(other.engine_);
        id_ = std::exchange(other.id_, 0);
    }
    return *this;
}

sql_subscription::~sql_subscription() { reset(); }

void sql_subscription::reset() noexcept {
    if (id_ == 0) return;
    if (auto state = engine_.lock()) {
        std::lock_guard lock(state->observers_mutex);
        std::erase_if(state->observers, [&](const auto& entry) { return entry.first == id_; });
        state->observed.store(!state->observers.empty(), std::memory_order_release);
    }
    id_ = 0;
    engine_.reset();
}

}  // namespace orm
