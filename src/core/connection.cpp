// orm::connection and orm::transaction.
#include "orm/connection.hpp"

#include <algorithm>
#include <cctype>

#include "orm/decimal.hpp"
#include "orm/detail/engine_state.hpp"
#include "orm/error.hpp"

namespace orm {

namespace {

// Number of characters (code points) in UTF-8 text, as VARCHAR(n) counts them.
std::size_t utf8_length(const std::string& text) {
    std::size_t count = 0;
    for (unsigned char c : text)
        if ((c & 0xC0) != 0x80) ++count;
    return count;
}

}  // namespace

void detail::check_column_value(const orm::dialect& d, const table_info& table, const column_info& c, const value& v) {
    if (c.type.kind == type_kind::decimal && !is_null(v)) {
        // More digits than DECIMAL(p, s) holds is an error on every backend
        // (MySQL would round extra fraction digits silently).
        const decimal number = type_traits<decimal>::from_value(v);
        if (number.scale() > c.scale || number.integer_digits() > static_cast<std::size_t>(c.precision - c.scale))
            throw data_error("orm: " + number.to_string() + " does not fit " + table.name + "." + c.name + " DECIMAL(" +
                             std::to_string(c.precision) + ", " + std::to_string(c.scale) + ") without rounding");
    }
    if (c.timestamp) {
        // TIMESTAMP columns hold 1970-01-01 00:00:01 .. 2038-01-19 03:14:07 UTC (checked for every backend).
        const auto* text = std::get_if<std::string>(&v);
        if (text && (*text < "1970-01-01 00:00:01" || *text > "2038-01-19 03:14:07.999999"))
            throw data_error("orm: " + *text + " is outside the TIMESTAMP range of " + table.name + "." + c.name +
                             " (1970-01-01 00:00:01 to 2038-01-19 03:14:07 UTC)");
    }
    if (c.length == 0 || d.enforces_length(c)) return;
    std::size_t size = 0;
    // A text never has more characters than bytes: count them only when the bytes exceed the length.
    if (const auto* s = std::get_if<std::string>(&v))
        size = c.type.kind == type_kind::text && s->size() > c.length ? utf8_length(*s) : s->size();
    else if (const auto* b = std::get_if<blob>(&v)) size = b->size();
    if (size > c.length)
        throw data_error("orm: value for " + table.name + "." + c.name + " is " + std::to_string(size) +
                         (c.type.kind == type_kind::text ? " characters" : " bytes") + ", longer than its declared length " +
                         std::to_string(c.length));
}

void detail::check_string_lengths(const orm::dialect& d, const table_info& table, const std::vector<value>& values) {
    for (const column_info& c : table.columns) check_column_value(d, table, c, values[c.field_index]);
}

namespace {

// True if `sql` contains the word RETURNING (any case) outside quotes.
bool mentions_returning(std::string_view sql) {
    constexpr std::string_view word = "returning";
    char quote = 0;
    for (std::size_t i = 0; i < sql.size(); ++i) {
        const char c = sql[i];
        if (quote) {
            if (c == quote) quote = 0;
            continue;
        }
        if (c == '\'' || c == '"' || c == '`') {
            quote = c;
            continue;
        }
        if (i + word.size() > sql.size()) break;
        bool match = i == 0 || !(std::isalnum(static_cast<unsigned char>(sql[i - 1])) || sql[i - 1] == '_');
        for (std::size_t k = 0; k < word.size() && match; ++k)
            match = std::tolower(static_cast<unsigned char>(sql[i + k])) == word[k];
        const std::size_t after = i + word.size();
        if (match && (after == sql.size() || !(std::isalnum(static_cast<unsigned char>(sql[after])) || sql[after] == '_')))
            return true;
    }
    return false;
}

// True if `sql` is exactly one of the dialect's own transaction statements (BEGIN,
// COMMIT, ROLLBACK, or SAVEPOINT / RELEASE SAVEPOINT / ROLLBACK TO SAVEPOINT of a
// plain name, as a flush sends them): they leave nothing behind that the pool's
// rollback on return does not end, so they need no session reset.
bool is_transaction_statement(const orm::dialect& d, std::string_view sql) {
    if (sql == d.begin_sql() || sql == d.commit_sql() || sql == d.rollback_sql()) return true;
    if (sql.size() < 3) return false;
    const char quote = sql.back();  // the name is the quoted identifier at the end
    const std::size_t open = sql.rfind(quote, sql.size() - 2);
    if (open == std::string_view::npos) return false;
    const std::string_view name = sql.substr(open + 1, sql.size() - open - 2);
    if (name.empty() || !std::all_of(name.begin(), name.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }))
        return false;
    return sql == d.savepoint_sql(name) || sql == d.release_savepoint_sql(name) || sql == d.rollback_to_savepoint_sql(name);
}

std::optional<sql::expression> key_condition(const table_info& table, const std::vector<value>& key) {
    std::vector<sql::expression> terms;
    for (std::size_t k = 0; k < table.primary_key.size(); ++k) {
        const column_info& c = table.columns[table.primary_key[k]];
        terms.push_back(sql::expression::binary(sql::op::eq, sql::expression::column(c.name, sql::type_of(c)),
                                                sql::expression::parameter(key[k], sql::type_of(c))));
    }
    return sql::all_of(std::move(terms));
}

}  // namespace

void detail::check_column_names(const table_info& table, const column_list& columns, std::string_view list) {
    for (const std::string& name : columns.names)
        if (!table.find_column(name))
            throw interface_error("orm: table '" + table.name + "' has no column '" + name + "' (in the " + std::string(list) +
                                  " column list)");
}

bool detail::is_unset_key(const value& v) {
    if (const auto* i = std::get_if<std::int64_t>(&v)) return *i == 0;
    if (const auto* u = std::get_if<std::uint64_t>(&v)) return *u == 0;
    return is_null(v);
}

// ---- transaction ---------------------------------------------------------------

transaction::transaction(std::shared_ptr<connection*> owner, std::string savepoint, std::uint64_t generation)
    : owner_(std::move(owner)), savepoint_(std::move(savepoint)), generation_(generation) {}

transaction::transaction(transaction&& other) noexcept
    : owner_(std::move(other.owner_)), savepoint_(std::move(other.savepoint_)), generation_(other.generation_), active_(other.active_) {
    other.active_ = false;
}

transaction::~transaction() {
    if (!active_) return;
    try {
        rollback();
    } catch (...) {
        // A destructor must not throw; the pool rolls back or discards the connection.
    }
}

void transaction::commit() {
    if (!owner_) throw interface_error("orm: this transaction was moved from");
    if (!*owner_) throw interface_error("orm: cannot commit: the connection was closed (its transaction was rolled back)");
    (*owner_)->end_transaction(*this, true);
}

void transaction::rollback() {
    if (!owner_) throw interface_error("orm: this transaction was moved from");
    if (!*owner_) {  // the connection closed: its transaction was rolled back then
        active_ = false;
        return;
    }
    (*owner_)->end_transaction(*this, false);
}

// ---- connection ----------------------------------------------------------------

connection::connection(std::shared_ptr<detail::engine_state> engine, std::unique_ptr<driver::connection> native)
    : engine_(std::move(engine)), native_(std::move(native)), anchor_(std::make_shared<connection*>(this)) {}

connection::connection(connection&& other) noexcept
    : query_executor(std::move(other)),
      engine_(std::move(other.engine_)),
      native_(std::move(other.native_)),
      anchor_(std::move(other.anchor_)),
      transaction_open_(other.transaction_open_),
      ran_user_sql_(other.ran_user_sql_),
      generation_(other.generation_),
      savepoint_counter_(other.savepoint_counter_),
      open_streams_(std::exchange(other.open_streams_, 0)) {
    if (anchor_) *anchor_ = this;
}

connection& connection::operator=(connection&& other) noexcept {
    if (this != &other) {
        close();
        take_anchor(other);  // queries made on this connection's old state find it gone
        engine_ = std::move(other.engine_);
        native_ = std::move(other.native_);
        anchor_ = std::move(other.anchor_);
        if (anchor_) *anchor_ = this;
        transaction_open_ = other.transaction_open_;
        ran_user_sql_ = other.ran_user_sql_;
        generation_ = other.generation_;
        savepoint_counter_ = other.savepoint_counter_;
        statement_text_ = std::move(other.statement_text_);  // compiled for the dialect of the engine taken over
        open_streams_ = std::exchange(other.open_streams_, 0);
    }
    return *this;
}

connection::~connection() { close(); }

void connection::close() {
    if (native_ && engine_) engine_->checkin(std::move(native_), ran_user_sql_);
    native_.reset();
    if (anchor_) *anchor_ = nullptr;  // open transaction objects now know it is gone
    anchor_.reset();
    transaction_open_ = false;
    ran_user_sql_ = false;
    ++generation_;
    open_streams_ = 0;  // a stream of a closed connection reads nothing more
}

driver::connection& connection::native() {
    if (!native_) throw interface_error("orm: this connection was closed (returned to the pool)");
    return *native_;
}

const orm::dialect& connection::sql_dialect() const { return *engine_->sql_dialect; }

detail::stream_lease connection::open_stream() {
    native();  // a closed connection streams nothing
    ++open_streams_;
    // The lease finds the connection through its anchor, which follows moves and is null once closed.
    return detail::stream_lease(nullptr, [anchor = anchor_](void*) {
        if (*anchor && (*anchor)->open_streams_) --(*anchor)->open_streams_;
    });
}

void connection::check_no_stream() const {
    if (open_streams_)
        throw interface_error("orm: a statement was run on a connection while a streamed result is being read from it: finish "
                              "the stream first, or read the rows with all() or a range-for (both buffer them)");
}

std::unique_ptr<driver::cursor> connection::run(const compiled_sql& statement) {
    return run(statement.text, statement.params, statement.returns_rows);
}

std::unique_ptr<driver::cursor> connection::run(const std::string& text, std::span<const value> params, bool returns_rows) {
    driver::connection& db = native();
    check_no_stream();
    if (params.size() > db.max_parameters())
        throw interface_error("orm: a statement with " + std::to_string(params.size()) + " parameters; this database takes at most " +
                              std::to_string(db.max_parameters()) + " (split the IN list or the rows)");
    const auto start = std::chrono::steady_clock::now();
    try {
        auto rows = db.execute(text, params, returns_rows);
        engine_->log(text, params, std::chrono::steady_clock::now() - start, true);
        return rows;
    } catch (const error&) {
        engine_->log(text, params, std::chrono::steady_clock::now() - start, false);
        if (!db.is_usable()) engine_->connection_lost(db);  // a disconnect: the rest of the pool is suspect
        throw;
    }
}

void connection::run_simple(const std::string& sql) {
    if (!ran_user_sql_ && native_ && !is_transaction_statement(sql_dialect(), sql)) ran_user_sql_ = true;
    run_own_simple(sql);
}

void connection::run_own_simple(const std::string& sql) {
    driver::connection& db = native();
    check_no_stream();
    const auto start = std::chrono::steady_clock::now();
    try {
        db.execute_simple(sql);
        engine_->log(sql, {}, std::chrono::steady_clock::now() - start, true);
    } catch (const error&) {
        engine_->log(sql, {}, std::chrono::steady_clock::now() - start, false);
        if (!db.is_usable()) engine_->connection_lost(db);
        throw;
    }
}

result connection::execute_values(std::string_view sql, std::vector<value> params) {
    ran_user_sql_ = true;
    // Some client libraries (Connector/C++) cannot tell before executing that an
    // INSERT/UPDATE/DELETE ... RETURNING yields rows: tell them.
    auto rows = run(compiled_sql{std::string(sql), std::move(params), mentions_returning(sql)});
    if (!rows) return result({}, {}, native().affected_rows());
    std::vector<std::string> columns;
    for (std::size_t i = 0; i < rows->column_count(); ++i) columns.push_back(rows->column_name(i));
    std::vector<std::vector<value>> data;
    while (rows->next()) {
        std::vector<value> one;
        one.reserve(columns.size());
        for (std::size_t i = 0; i < columns.size(); ++i) one.push_back(rows->get(i));
        data.push_back(std::move(one));
    }
    return result(std::move(columns), std::move(data), 0);
}

std::size_t connection::max_parameters() const {
    if (!native_) throw interface_error("orm: this connection was closed (returned to the pool)");
    return native_->max_parameters();
}

std::uint64_t connection::affected_rows() const {
    if (!native_) throw interface_error("orm: this connection was closed (returned to the pool)");
    return native_->affected_rows();
}

std::int64_t connection::last_insert_id() {
    if (auto id = native().last_insert_id()) return *id;
    const std::string query = sql_dialect().last_insert_id_sql();
    if (query.empty()) throw interface_error("orm: the driver reports no generated key and the dialect has no query for one");
    auto rows = run(compiled_sql{query, {}, true});
    if (!rows || !rows->next()) throw interface_error("orm: the database returned no generated key");
    return from_value<std::int64_t>(rows->get(0));
}

transaction connection::begin(const begin_options& options) {
    if (transaction_open_)
        throw interface_error("orm: a transaction is already open on this connection; use begin_nested() for a savepoint");
    for (const std::string& statement : sql_dialect().begin_statements(options)) run_own_simple(statement);
    transaction_open_ = true;
    return transaction(anchor_, {}, generation_);
}

transaction connection::begin_nested() {
    if (!transaction_open_) throw interface_error("orm: begin_nested() needs an open transaction: call begin() first");
    std::string name = "orm_sp_" + std::to_string(++savepoint_counter_);
    run_own_simple(sql_dialect().savepoint_sql(name));
    return transaction(anchor_, std::move(name), generation_);
}

void connection::end_transaction(transaction& tx, bool commit) {
    if (!tx.active_) throw interface_error("orm: this transaction was already committed or rolled back");
    tx.active_ = false;
    if (tx.generation_ != generation_ || !native_) {
        if (commit) throw interface_error("orm: cannot commit: the enclosing transaction already ended");
        return;  // rolling back a savepoint whose transaction already ended: nothing left to undo
    }
    const orm::dialect& d = sql_dialect();
    if (tx.savepoint_.empty()) {
        transaction_open_ = false;
        ++generation_;
        if (!commit) {
            run_own_simple(d.rollback_sql());
            return;
        }
        try {
            run_own_simple(d.commit_sql());
        } catch (...) {
            // A failed COMMIT may leave the transaction open: end it, so the
            // connection is clean, and report the failure.
            try {
                run_own_simple(d.rollback_sql());
            } catch (...) {
            }
            throw;
        }
    } else {
        run_own_simple(commit ? d.release_savepoint_sql(tx.savepoint_) : d.rollback_to_savepoint_sql(tx.savepoint_));
    }
}

std::vector<std::size_t> connection::map_columns_to_fields(const driver::cursor& rows,
                                                           std::span<const std::string_view> columns,
                                                           std::span<const std::string_view> fields,
                                                           std::string_view type) const {
    std::vector<std::size_t> mapping;
    for (std::size_t c = 0; c < rows.column_count(); ++c) {
        const std::string name = rows.column_name(c);
        std::size_t found = fields.size();
        for (std::size_t f = 0; f < fields.size() && found == fields.size(); ++f)
            if (columns[f] == name || fields[f] == name) found = f;
        if (found == fields.size())
            throw interface_error("orm: result column '" + name + "' matches no field of " + std::string(type));
        mapping.push_back(found);
    }
    return mapping;
}

void connection::check_key_arity(const table_info& table, std::size_t given) const {
    if (given != table.primary_key.size())
        throw interface_error("orm: table '" + table.name + "' has a " + std::to_string(table.primary_key.size()) +
                              "-column primary key but get() was given " + std::to_string(given) + " values");
}

namespace {

// The kinds of statement text a connection remembers (connection::text_key::kind).
enum text_kind : int { insert_text = 1, select_by_key_text, update_text, delete_text };

// Rows of `columns` values in one multi-row INSERT: at most 500, and within the driver's parameter limit.
std::size_t rows_per_statement(std::size_t columns, std::size_t max_parameters) {
    return std::max<std::size_t>(1, std::min<std::size_t>(500, max_parameters / std::max<std::size_t>(1, columns)));
}

}  // namespace

std::size_t connection::text_key_hash::operator()(const text_key& k) const noexcept {
    std::size_t h = std::hash<const void*>{}(k.table);
    h ^= std::hash<std::uint64_t>{}(k.variant * 31 + static_cast<std::uint64_t>(k.kind)) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    return h;
}

const connection::update_plan& connection::plan_update(const table_info& table, const column_list* only) {
    update_plan& plan = last_update_plan_;
    if (plan.table == &table && plan.every_column == !only && (!only || plan.names == only->names)) return plan;
    if (only) detail::check_column_names(table, *only, "update");  // before the plan is replaced: a typo keeps the last one
    plan = update_plan{&table, !only, only ? only->names : std::vector<std::string>{}, {}, 0};
    for (std::size_t i = 0; i < table.columns.size(); ++i) {
        const column_info& c = table.columns[i];
        const bool named = only && std::find(only->names.begin(), only->names.end(), c.name) != only->names.end();
        if (only ? named : !c.primary_key) {
            plan.assigned.push_back(&c);
            if (i < 64) plan.column_bits |= std::uint64_t{1} << i;
        }
    }
    return plan;
}

template <class Compile>
std::unique_ptr<driver::cursor> connection::run_remembered(const text_key& key, std::span<const value> params, bool returns_rows,
                                                           const Compile& compile) {
    if (auto cached = statement_text_.find(key); cached != statement_text_.end()) return run(cached->second, params, returns_rows);
    const compiled_sql compiled = compile();
    // Remembered only when its parameters are exactly `params`, in order (checked once).
    if (std::equal(compiled.params.begin(), compiled.params.end(), params.begin(), params.end()) && compiled.returns_rows == returns_rows)
        statement_text_.emplace(key, compiled.text);
    return run(compiled);
}

std::size_t connection::insert_rows_per_statement(const table_info& table) const {
    return rows_per_statement(table.columns.size(), max_parameters());
}

std::vector<std::optional<std::int64_t>> connection::insert_rows(const table_info& table,
                                                                  std::vector<std::vector<value>> rows) {
    const orm::dialect& d = sql_dialect();
    for (const auto& row : rows) detail::check_string_lengths(d, table, row);
    if (d.converts_stored_values(table))
        for (auto& row : rows)
            for (const column_info& c : table.columns) row[c.field_index] = d.stored_value(c, std::move(row[c.field_index]));
    // Several rows outside a transaction go in inside one of their own: all or none,
    // and what consecutive_keys_check answers stays true until the INSERT runs.
    if (rows.size() > 1 && !transaction_open_ && !native().may_be_in_transaction()) {
        transaction own = begin();
        auto keys = insert_row_groups(table, std::move(rows));
        own.commit();
        return keys;
    }
    return insert_row_groups(table, std::move(rows));
}

std::vector<std::optional<std::int64_t>> connection::insert_row_groups(const table_info& table,
                                                                       std::vector<std::vector<value>> rows) {
    const orm::dialect& d = sql_dialect();
    const column_info* serial = table.auto_increment_column();
    auto generates = [&](std::size_t r) { return serial && detail::is_unset_key(rows[r][serial->field_index]); };
    std::vector<std::optional<std::int64_t>> generated(rows.size());

    // Consecutive rows of one kind (key generated or given) go in shared statements.
    std::size_t begin = 0;
    while (begin < rows.size()) {
        const bool generate = generates(begin);
        std::size_t end = begin + 1;
        while (end < rows.size() && generates(end) == generate) ++end;

        const std::size_t columns = table.columns.size() - (generate ? 1 : 0);
        // Without RETURNING, keys of a multi-row INSERT are known only where the
        // server hands out consecutive blocks (see dialect::consecutive_key_step),
        // or where a query shows that it will for these rows (consecutive_keys_check,
        // asked once, and only inside a transaction, which keeps its answer true).
        std::optional<std::uint64_t> key_step = d.consecutive_key_step();
        bool keys_end_at_last_id = false;
        bool check_refused = false;  // then only one row per statement gives exact keys
        if (generate && !key_step && end - begin > 1 && native().may_be_in_transaction()) {
            if (auto check = d.consecutive_keys_check(table, end - begin)) {
                auto answer = run(*check);
                if (answer && answer->next() && from_value<std::int64_t>(answer->get(0)) == 1) {
                    key_step = 1;
                    keys_end_at_last_id = true;
                } else {
                    check_refused = true;
                }
            }
        }
        const bool one_by_one = generate && !key_step && (check_refused || !d.supports_returning());
        const std::size_t chunk = one_by_one ? 1 : rows_per_statement(columns, native().max_parameters());

        // The SQL text does not depend on the values (each is a `?`): compile it
        // once per chunk size, with NULL stand-ins, and move the values in. The
        // texts of one row and of a full chunk are remembered for the next call.
        std::string compiled_text;
        const std::string* text = nullptr;
        std::size_t compiled_rows = 0;
        bool compiled_returning = false;
        std::vector<value> params;
        for (std::size_t first = begin; first < end; first += chunk) {
            const std::size_t last = std::min(end, first + chunk);
            const std::size_t count = last - first;
            // RETURNING costs a result set (MariaDB) or a temporary table (SQLite) per
            // statement: one row's key is the last insert id where the dialect says so and
            // the driver reports it with the statement, and a block's keys are consecutive
            // where the server says so (InnoDB's lock modes 0 and 1).
            const bool use_returning =
                generate && d.supports_returning() &&
                !(count == 1 && d.last_insert_id_gives_one_row_key() && native().reports_last_insert_id()) && !(count > 1 && key_step);
            if (count != compiled_rows || use_returning != compiled_returning) {
                compiled_rows = count;
                compiled_returning = use_returning;
                const text_key key{&table, insert_text, (count << 2) | (generate ? 2U : 0U) | (use_returning ? 1U : 0U)};
                const bool remember = count == 1 || count == chunk;
                if (auto cached = remember ? statement_text_.find(key) : statement_text_.end(); cached != statement_text_.end()) {
                    text = &cached->second;
                } else {
                    sql::insert_statement insert{table.name, {}, {}, {}};
                    for (const column_info& c : table.columns)
                        if (!(generate && &c == serial)) insert.columns.push_back(c.name);
                    if (use_returning) insert.returning = {serial->name};
                    insert.rows.assign(count, std::vector<value>(columns));
                    compiled_sql compiled = d.compile(insert);
                    if (compiled.params.size() != count * columns)
                        throw interface_error("orm: the dialect compiled an INSERT with an unexpected number of parameters");
                    if (remember) text = &statement_text_.emplace(key, std::move(compiled.text)).first->second;
                    else text = &(compiled_text = std::move(compiled.text));
                }
            }
            params.clear();
            params.reserve(count * columns);
            for (std::size_t r = first; r < last; ++r)
                for (const column_info& c : table.columns)
                    if (!(generate && &c == serial)) params.push_back(std::move(rows[r][c.field_index]));
            auto cursor = run(*text, params, use_returning);
            if (!generate) continue;
            if (!use_returning && count == 1) {
                generated[first] = last_insert_id();
                continue;
            }
            if (!use_returning) {  // the first key of the block, then every step
                const std::int64_t id = last_insert_id();
                const std::int64_t first_key = keys_end_at_last_id ? id - static_cast<std::int64_t>(count - 1) : id;
                for (std::size_t r = first; r < last; ++r)
                    generated[r] = first_key + static_cast<std::int64_t>((r - first) * *key_step);
                continue;
            }
            // Keys come back through RETURNING; a single statement assigns
            // auto-increment values in VALUES order, so ascending keys match rows in order.
            std::vector<std::int64_t> keys;
            while (cursor && cursor->next()) keys.push_back(from_value<std::int64_t>(cursor->get(0)));
            if (keys.size() != count)
                throw interface_error("orm: INSERT ... RETURNING gave " + std::to_string(keys.size()) + " keys for " +
                                      std::to_string(count) + " rows");
            std::sort(keys.begin(), keys.end());
            for (std::size_t r = first; r < last; ++r) generated[r] = keys[r - first];
        }
        begin = end;
    }
    return generated;
}

std::unique_ptr<driver::cursor> connection::select_rows(const table_info& table, const std::vector<value>* key) {
    if (key) return select_by_key(table, *key);
    sql::select_statement select = sql::select_columns_of(table);
    for (std::size_t k : table.primary_key) select.order_by.push_back({sql::expression::column(table.name, table.columns[k])});
    return run(sql_dialect().compile(select));
}

std::unique_ptr<driver::cursor> connection::select_by_key(const table_info& table, std::span<const value> key) {
    return run_remembered({&table, select_by_key_text, 0}, key, true, [&] {
        sql::select_statement select = sql::select_columns_of(table);
        select.where = sql::key_equals(table, key);
        return sql_dialect().compile(select);
    });
}

std::uint64_t connection::update_row(const table_info& table, std::vector<value> values, const column_list* only) {
    const update_plan& plan = plan_update(table, only);
    std::vector<value> params;
    params.reserve(plan.assigned.size() + table.primary_key.size());
    for (const column_info* c : plan.assigned) params.push_back(std::move(values[c->field_index]));
    for (std::size_t k : table.primary_key) params.push_back(std::move(values[table.columns[k].field_index]));
    return update_with_plan(table, plan, std::move(params));
}

std::uint64_t connection::update_with_plan(const table_info& table, const update_plan& plan, std::vector<value> params) {
    if (plan.assigned.empty()) return 0;  // nothing but the key: nothing to change
    for (std::size_t i = 0; i < plan.assigned.size(); ++i) detail::check_column_value(sql_dialect(), table, *plan.assigned[i], params[i]);
    auto compile = [&] {
        const std::vector<value> key(params.begin() + static_cast<std::ptrdiff_t>(plan.assigned.size()), params.end());
        sql::update_statement update{table.name, {}, key_condition(table, key)};
        for (std::size_t i = 0; i < plan.assigned.size(); ++i)
            update.assignments.emplace_back(plan.assigned[i]->name, sql::expression::parameter(params[i], sql::type_of(*plan.assigned[i])));
        return sql_dialect().compile(update);
    };
    // The column bit set names the text only for tables of up to 64 columns.
    if (table.columns.size() <= 64) run_remembered({&table, update_text, plan.column_bits}, params, false, compile);
    else run(compile());
    return native().affected_rows();
}

std::uint64_t connection::delete_row(const table_info& table, std::vector<value> values) {
    std::vector<value> key;
    for (std::size_t k : table.primary_key) key.push_back(std::move(values[table.columns[k].field_index]));
    run_remembered({&table, delete_text, 0}, key, false, [&] {
        return sql_dialect().compile(sql::delete_statement{table.name, key_condition(table, key)});
    });
    return native().affected_rows();
}

}  // namespace orm
