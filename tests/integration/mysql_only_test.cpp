// Behaviour that only a server backend has: a connection killed under us.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <iostream>
#include <limits>
#include <random>
#include <set>
#include <thread>
#include <tuple>

#include "../support/backend.hpp"

TEST_CASE("a killed connection raises connection_error, is discarded by the pool, and the next checkout works",
          "[errors][pool]") {
    auto db = orm_test::make_engine(orm::engine_options{.pool_size = 2, .max_overflow = 0});
    auto victim = db.connect();
    const auto victim_id = victim.execute("SELECT CONNECTION_ID()").scalar<std::uint64_t>();
    db.connect().close();  // a second pooled connection, idle now (it ran no SQL of ours, so it stays pooled)
    // An admin elsewhere; an integer we read: nothing user-supplied.
    orm_test::make_engine().connect().execute("KILL CONNECTION " + std::to_string(victim_id));
    CHECK(db.idle() == 1);
    try {
        victim.execute("SELECT 1");
        FAIL("expected orm::connection_error");
    } catch (const orm::connection_error& e) {
        CHECK((e.native_code() == 2006 || e.native_code() == 2013 || e.native_code() == 1927 || e.native_code() == 4031));
    }
    CHECK(db.idle() == 0);  // a disconnect invalidates the whole pool: the idle `killer` was closed too
    victim.close();
    CHECK(db.idle() == 0);  // the broken connection was not put back
    CHECK(db.status().invalidated == 2);
    CHECK(db.status().pool_invalidations == 1);
    auto fresh = db.connect();
    auto other = db.connect();  // a newly opened one: the pool's count was freed
    CHECK(fresh.execute("SELECT 1").scalar<int>() == 1);
    CHECK(other.execute("SELECT 2").scalar<int>() == 2);
}

TEST_CASE("two sessions updating one versioned row at once: exactly one wins, the other gets stale_data_error",
          "[session][concurrency]") {
    auto db = orm_test::fresh_engine<models::Document>();
    orm_test::seed(db, models::Document{.title = "draft"});
    std::atomic<int> loaded{0}, won{0}, stale{0};
    auto writer = [&](std::string title) {
        orm::session s(db);
        models::Document* doc = s.get<models::Document>(1);
        ++loaded;
        while (loaded < 2) std::this_thread::yield();  // both have read version 1
        doc->title = title;
        try {
            s.commit();
            ++won;
        } catch (const orm::stale_data_error&) {
            ++stale;
            s.rollback();
        }
    };
    std::thread a(writer, "from a"), b(writer, "from b");
    a.join();
    b.join();
    CHECK(won == 1);
    CHECK(stale == 1);
    auto conn = db.connect();
    auto row = conn.get<models::Document>(1);
    CHECK(row->version == 2);
    CHECK((row->title == "from a" || row->title == "from b"));
}

TEST_CASE("a deadlock between two threads is retried by run_transaction and both units of work commit exactly once",
          "[session][concurrency]") {
    auto db = orm_test::fresh_engine<models::Account, models::Author>();
    orm_test::seed(db, models::Account{.id = 1}, models::Account{.id = 2});
    std::atomic<int> attempts{0}, holding{0};
    auto worker = [&](std::int64_t first, std::int64_t second) {
        orm::session s(db);
        bool first_attempt = true;
        s.run_transaction(
            [&](orm::session& tx) {
                ++attempts;
                (void)tx.add(models::Author{.name = "worker " + std::to_string(first)});
                tx.flush();
                tx.conn().execute("UPDATE account SET balance = balance + 1 WHERE id = ?", first);  // locks `first`
                if (first_attempt) {
                    first_attempt = false;
                    ++holding;
                    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
                    while (holding < 2 && std::chrono::steady_clock::now() < give_up) std::this_thread::yield();
                }
                tx.conn().execute("UPDATE account SET balance = balance + 1 WHERE id = ?", second);  // deadlock
            },
            {.max_attempts = 5, .initial_backoff = std::chrono::milliseconds(20)});
    };
    std::thread a(worker, 1, 2), b(worker, 2, 1);
    a.join();
    b.join();
    CHECK(attempts >= 3);  // the deadlock victim ran again
    auto conn = db.connect();
    CHECK(conn.execute("SELECT COUNT(*) FROM author").scalar<int>() == 2);  // each unit of work once
    CHECK(conn.get<models::Account>(1)->balance == 2);
    CHECK(conn.get<models::Account>(2)->balance == 2);
}

TEST_CASE("without RETURNING, insert_many infers keys from the first generated key in consecutive lock mode", "[query]") {
    std::vector<std::string> statements;
    orm::engine_options options;
    options.use_returning = false;  // behave like MySQL, which has no INSERT ... RETURNING
    options.on_sql = [&](const orm::sql_event& e) { statements.emplace_back(e.sql); };
    auto db = orm_test::fresh_engine<models::Author>(options);
    REQUIRE(db.sql_dialect().consecutive_key_step() == 1u);  // MariaDB's default innodb_autoinc_lock_mode is 1
    auto conn = db.connect();
    conn.execute("INSERT INTO author (name) VALUES (?)", "taken first");  // keys do not start at 1
    std::vector<models::Author> many(1234);
    for (std::size_t i = 0; i < many.size(); ++i) many[i].name = "bulk " + std::to_string(i);
    statements.clear();
    conn.insert_many(many);
    const auto inserts = std::count_if(statements.begin(), statements.end(), [](const std::string& s) { return s.starts_with("INSERT"); });
    const auto key_queries = std::count(statements.begin(), statements.end(), std::string("SELECT LAST_INSERT_ID()"));
    CHECK(inserts == 3);  // chunks of 500 rows
    // Connector/C++ cannot read mysql_insert_id(): one SELECT LAST_INSERT_ID() per chunk.
    // libmariadb's driver reports mysql_stmt_insert_id() and needs none.
    CHECK(key_queries == (std::string(orm_test::driver_name()) == "cppconn" ? 3 : 0));
    for (std::size_t i : {std::size_t{0}, std::size_t{499}, std::size_t{500}, std::size_t{1233}})
        CHECK(conn.get<models::Author>(many[i].id)->name == "bulk " + std::to_string(i));
    CHECK(many[0].id == 2);
    CHECK(many[1233].id == 1235);
}

TEST_CASE("a parameterless SELECT streams over the text protocol and reads every value as the prepared path does",
          "[query][streaming]") {
    auto db = orm_test::fresh_engine<models::Extras, models::Invoice, models::Event, models::Wallet>();
    auto conn = db.connect();
    models::Extras x;
    x.span = -std::chrono::seconds{3'020'399};
    x.precise = std::chrono::microseconds{-1};
    x.token = orm::uuid::random();
    x.tag = {std::byte{0}, std::byte{255}, std::byte{0}, std::byte{1}};
    x.at_ms = std::chrono::sys_time<std::chrono::milliseconds>{std::chrono::milliseconds{-1}};
    x.note = std::string("a\0b\xF0\x9F\x98\x80", 7);
    x.mood = models::Mood::in_between;
    conn.insert(x);
    models::Invoice inv{.total = orm::decimal("-9999999999.99"), .discount = orm::decimal("0.0000000001")};
    conn.insert(inv);
    models::Event ev{.payload = nlohmann::json{{"k", 1.5}}, .raw = orm::json_text{"[]"}};
    conn.insert(ev);
    models::Wallet w{.balance = {std::numeric_limits<std::int64_t>::min()}, .last_ip = {{1, 2, 3, 4}}};
    conn.insert(w);
    auto streamed_x = conn.select<models::Extras>().all();  // no parameters: streamed
    auto prepared_x = conn.get<models::Extras>(x.id);       // a key parameter: prepared
    REQUIRE(streamed_x.size() == 1);
    CHECK(streamed_x[0].span == prepared_x->span);
    CHECK(streamed_x[0].precise == prepared_x->precise);
    CHECK(streamed_x[0].token == prepared_x->token);
    CHECK(streamed_x[0].tag == prepared_x->tag);
    CHECK(streamed_x[0].at_ms == x.at_ms);
    CHECK(streamed_x[0].note == x.note);
    CHECK(streamed_x[0].mood == x.mood);
    CHECK(conn.select<models::Invoice>().all().at(0).discount == inv.discount);
    CHECK(conn.select<models::Event>().all().at(0).payload == ev.payload);
    CHECK(conn.select<models::Wallet>().all().at(0).balance == w.balance);
}

TEST_CASE("pre_ping replaces an idle connection the server killed, without an error", "[pool]") {
    auto db = orm_test::make_engine(orm::engine_options{.pool_size = 2, .pre_ping = true});
    std::uint64_t victim_id = 0;
    {
        auto conn = db.connect();
        // Through run(), which leaves the connection as it is (execute() would have it
        // reset, or closed by Connector/C++, when it goes back to the pool).
        auto rows = conn.run(orm::compiled_sql{"SELECT CONNECTION_ID()", {}, true});
        REQUIRE((rows && rows->next()));
        victim_id = orm::from_value<std::uint64_t>(rows->get(0));
    }  // idle in the pool now
    orm_test::make_engine().connect().execute("KILL CONNECTION " + std::to_string(victim_id));  // an admin elsewhere
    auto conn = db.connect();  // pinged, found dead, replaced
    CHECK(conn.execute("SELECT CONNECTION_ID()").scalar<std::uint64_t>() != victim_id);
    CHECK(db.status().invalidated == 1);
    CHECK(db.status().opened == 2);
}

TEST_CASE("connections killed at random points under load: the tables hold exactly the committed units", "[reliability]") {
    auto db = orm_test::fresh_engine<models::Author, models::Document>(orm::engine_options{.pool_size = 2});
    constexpr int units = 1000;
    std::atomic<std::uint64_t> current_connection{0};
    std::atomic<bool> done{false};
    std::atomic<int> kills{0};
    std::thread killer([&] {
        auto admin = orm_test::make_engine();
        std::mt19937 rng(7);
        while (!done) {
            std::this_thread::sleep_for(std::chrono::microseconds(500 + rng() % 3000));
            const auto id = current_connection.load();
            if (id == 0) continue;
            try {
                admin.connect().execute("KILL CONNECTION " + std::to_string(id));
                ++kills;
            } catch (const orm::error&) {
                // already gone: fine
            }
        }
    });
    std::vector<std::string> committed, failed_before_commit, in_doubt;
    for (int u = 0; u < units; ++u) {
        const std::string key = "unit " + std::to_string(u);
        orm::session s(db);
        bool committing = false;
        try {
            current_connection = s.conn().execute("SELECT CONNECTION_ID()").scalar<std::uint64_t>();
            (void)s.add(models::Author{.name = key});
            (void)s.add(models::Document{.title = key});
            s.flush();
            committing = true;
            s.commit();
            committed.push_back(key);
        } catch (const orm::error&) {
            (committing ? in_doubt : failed_before_commit).push_back(key);
            try {
                s.rollback();
            } catch (const orm::error&) {
            }
        }
        current_connection = 0;
    }
    done = true;
    killer.join();
    INFO("kills " << kills << ", committed " << committed.size() << ", failed " << failed_before_commit.size() << ", in doubt " << in_doubt.size());
    std::cout << "kill test: " << units << " units, " << kills << " kills, committed " << committed.size() << ", failed "
              << failed_before_commit.size() << ", in doubt " << in_doubt.size() << "; invalidated "
              << db.status().invalidated << ", pool invalidations " << db.status().pool_invalidations << '\n';
    CHECK(kills > 0);
    CHECK(failed_before_commit.size() + in_doubt.size() > 0);  // the faults really hit units of work
    // The engine keeps serving. The last kill may have hit a connection after it
    // went back to the pool: its first use fails once, which invalidates the pool.
    int stale = 0;
    for (bool served = false; !served;) {
        try {
            served = db.connect().execute("SELECT 1").scalar<int>() == 1;
        } catch (const orm::connection_error&) {
            REQUIRE(++stale == 1);
        }
    }
    auto conn = db.connect();
    std::set<std::string> authors, documents;
    for (const auto& a : conn.select<models::Author>().all()) CHECK(authors.insert(a.name).second);        // none twice
    for (const auto& d : conn.select<models::Document>().all()) CHECK(documents.insert(d.title).second);
    CHECK(authors == documents);                                                                          // none partial
    for (const auto& key : committed) CHECK(authors.count(key) == 1);                                     // none lost
    for (const auto& key : failed_before_commit) CHECK(authors.count(key) == 0);                          // failures wrote nothing
    CHECK(authors.size() >= committed.size());
    CHECK(authors.size() <= committed.size() + in_doubt.size());  // only a COMMIT cut short may have landed
    std::cout << "kill test: " << authors.size() << " rows (" << authors.size() - committed.size()
              << " of the units in doubt landed), " << stale << " stale connection error after the last kill\n";
}

TEST_CASE("ssl_mode=required never runs in plain text: a server without TLS is refused, preferred falls back, disabled never tries", "[tls]") {
    const std::string base = orm_test::database_url();
    const std::string joiner = base.find('?') == std::string::npos ? "?" : "&";
    auto plain = orm_test::make_engine().connect();
    const bool server_has_tls = plain.query<std::tuple<std::string, std::string>>("SHOW VARIABLES LIKE 'have_ssl'").at(0) ==
                                std::tuple<std::string, std::string>{"have_ssl", "YES"};
    auto cipher = [](const std::string& url) {
        auto conn = orm::create_engine(url).connect();
        return std::get<1>(conn.query<std::tuple<std::string, std::string>>("SHOW SESSION STATUS LIKE 'Ssl_cipher'").at(0));
    };
    CHECK(cipher(base + joiner + "ssl_mode=disabled").empty());
    CHECK(cipher(base + joiner + "ssl_mode=preferred").empty() == !server_has_tls);
    if (server_has_tls) {
        CHECK_FALSE(cipher(base + joiner + "ssl_mode=required").empty());
    } else {  // the test fixture's server: no certificate
        CHECK_THROWS_AS(cipher(base + joiner + "ssl_mode=required"), orm::connection_error);
        CHECK_THROWS_WITH(cipher(base + joiner + "ssl_mode=required"), Catch::Contains("did not negotiate TLS"));
    }
}

TEST_CASE("each MySQL column type reads back as the same kind of value through either driver", "[types]") {
    auto db = orm_test::make_engine();
    auto conn = db.connect();
    conn.execute("DROP TABLE IF EXISTS value_kinds");
    conn.execute(
        "CREATE TABLE value_kinds (b BIT(10), y YEAR, f FLOAT, d DOUBLE, u INT UNSIGNED, i TINYINT, t TIME(1), "
        "dt DATETIME(3), da DATE, dc DECIMAL(10, 3), j JSON, vb VARBINARY(10), s VARCHAR(10), e ENUM('a', 'b'), "
        "n INT NULL, ts TIMESTAMP(6) NULL)");
    conn.execute(
        "INSERT INTO value_kinds VALUES (b'1000000001', 2024, 1.5, 2.25, 4000000000, -5, '-838:59:58.5', "
        "'2024-02-29 23:59:59.125', '2024-02-29', 12.5, '{\"a\": 1}', x'00ff', 'x', 'b', NULL, "
        "'2001-02-03 04:05:06.000007')");
    // Once without parameters (Connector/C++ may stream it as text), once with one (prepared, binary).
    for (const char* sql : {"SELECT * FROM value_kinds", "SELECT * FROM value_kinds WHERE u > ?"}) {
        INFO(sql);
        const orm::result rows = std::string_view(sql).find('?') == std::string_view::npos
                                     ? conn.execute(sql)
                                     : conn.execute(sql, std::int64_t{0});
        REQUIRE(rows.size() == 1);
        const orm::row r = rows.at(0);
        CHECK(r[0] == orm::value(std::uint64_t{513}));
        CHECK(r[1] == orm::value(std::uint64_t{2024}));
        CHECK(r[2] == orm::value(1.5));
        CHECK(r[3] == orm::value(2.25));
        CHECK(r[4] == orm::value(std::uint64_t{4000000000}));
        CHECK(r[5] == orm::value(std::int64_t{-5}));
        CHECK(r[6] == orm::value(std::string("-838:59:58.5")));
        CHECK(r[7] == orm::value(std::string("2024-02-29 23:59:59.125")));
        CHECK(r[8] == orm::value(std::string("2024-02-29")));
        CHECK(r[9] == orm::value(std::string("12.500")));
        CHECK(r[10] == orm::value(std::string("{\"a\": 1}")));
        CHECK(r[11] == orm::value(orm::blob{std::byte{0}, std::byte{255}}));
        CHECK(r[12] == orm::value(std::string("x")));
        CHECK(r[13] == orm::value(std::string("b")));
        CHECK(orm::is_null(r[14]));
        CHECK(r[15] == orm::value(std::string("2001-02-03 04:05:06.000007")));
    }
    conn.execute("DROP TABLE value_kinds");
}

namespace {
/// Time points of every resolution, read from DATETIME and TIMESTAMP columns.
struct Stamps {
    std::int64_t id = 0;
    std::chrono::sys_seconds dt0;
    std::chrono::sys_time<std::chrono::milliseconds> dt3;
    std::chrono::sys_time<std::chrono::microseconds> dt6;
    std::optional<std::chrono::sys_time<std::chrono::microseconds>> ts;
};
/// One of those columns read into a coarser field.
struct CoarseStamps {
    std::int64_t id = 0;
    std::chrono::sys_seconds dt3;
};
}  // namespace
template <>
struct orm::model<Stamps> {
    static constexpr auto table = "stamps";
};
template <>
struct orm::model<CoarseStamps> {
    static constexpr auto table = "stamps";
};

TEST_CASE("DATETIME and TIMESTAMP values hydrate into time points exactly as their text reads", "[types]") {
    using namespace std::chrono;
    auto db = orm_test::make_engine();
    auto conn = db.connect();
    conn.execute("DROP TABLE IF EXISTS stamps");
    conn.execute("CREATE TABLE stamps (id BIGINT PRIMARY KEY, dt0 DATETIME, dt3 DATETIME(3), dt6 DATETIME(6), ts TIMESTAMP(6) NULL)");
    conn.execute(
        "INSERT INTO stamps VALUES (1, '0001-01-01 00:00:00', '1969-12-31 23:59:59.999', '9999-12-31 23:59:59.999999', "
        "'2001-02-03 04:05:06.000007'), (2, '2024-02-29 12:00:01', '2024-02-29 12:00:01.5', '1970-01-01 00:00:00.000001', NULL)");
    // A parameter makes the SELECT a prepared one: the libmariadb driver then holds the values in parts.
    const auto rows = conn.select<Stamps>().where(orm::col(&Stamps::id) > 0).order_by(orm::asc(&Stamps::id)).all();
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].dt0 == sys_days{year{1} / 1 / 1});
    CHECK(rows[0].dt3 == sys_days{year{1969} / 12 / 31} + hours{23} + minutes{59} + seconds{59} + milliseconds{999});
    CHECK(rows[0].dt6 == sys_days{year{9999} / 12 / 31} + hours{23} + minutes{59} + seconds{59} + microseconds{999'999});
    REQUIRE(rows[0].ts);
    CHECK(*rows[0].ts == sys_days{year{2001} / 2 / 3} + hours{4} + minutes{5} + seconds{6} + microseconds{7});
    CHECK(rows[1].dt0 == sys_days{year{2024} / 2 / 29} + hours{12} + seconds{1});
    CHECK(rows[1].dt3 == sys_days{year{2024} / 2 / 29} + hours{12} + seconds{1} + milliseconds{500});
    CHECK(rows[1].dt6 == sys_days{year{1970} / 1 / 1} + microseconds{1});
    CHECK_FALSE(rows[1].ts);
    // The same columns as text, parsed: the same instants.
    const orm::result text = conn.execute("SELECT dt0, dt3, dt6 FROM stamps WHERE id > ? ORDER BY id", std::int64_t{0});
    REQUIRE(text.size() == 2);
    for (std::size_t r = 0; r < 2; ++r) {
        CHECK(orm::detail::parse_datetime(text.at(r)[0]) == duration_cast<microseconds>(rows[r].dt0.time_since_epoch()).count());
        CHECK(orm::detail::parse_datetime(text.at(r)[1]) == duration_cast<microseconds>(rows[r].dt3.time_since_epoch()).count());
        CHECK(orm::detail::parse_datetime(text.at(r)[2]) == rows[r].dt6.time_since_epoch().count());
    }
    // A fraction a coarser field cannot hold is refused (row 2's dt3 is 12:00:01.5), as from text.
    CHECK_THROWS_AS(conn.select<CoarseStamps>().where(orm::col(&CoarseStamps::id) == 2).all(), orm::data_error);
    try {
        conn.select<CoarseStamps>().where(orm::col(&CoarseStamps::id) == 2).all();
    } catch (const orm::data_error& e) {
        CHECK(std::string(e.what()).find("2024-02-29 12:00:01.500") != std::string::npos);  // the column's value, as text
    }
    conn.execute("DROP TABLE stamps");
}

TEST_CASE("GBK multi-byte payloads through a gbk connection stay data: bound, never escaped or executed", "[security]") {
    // The classic attack on escaping: 0xBF 0x5C is one GBK character, so an
    // escaper's added backslash is swallowed and the quote after it ends the
    // string. orm binds every value (binary protocol), so nothing is escaped.
    const std::string url = orm_test::database_url();
    auto db = orm::create_engine(url + (url.find('?') == std::string::npos ? "?" : "&") + "charset=gbk");
    auto conn = db.connect();
    conn.execute("DROP TABLE IF EXISTS gbk_probe");
    conn.execute("CREATE TABLE gbk_probe (id BIGINT PRIMARY KEY, t VARCHAR(64) CHARACTER SET gbk NOT NULL, b VARBINARY(64) NOT NULL)");
    const std::vector<std::string> payloads = {"\xBF\x5C' OR 1=1 -- ", "\x81\x5C'; DROP TABLE gbk_probe; -- ",
                                               "\xBF\x5C\x5C' UNION SELECT 1, 2, 3 -- ", "\xBF' OR '1'='1"};
    auto bytes = [](const std::string& s) {
        orm::blob b;
        for (char c : s) b.push_back(static_cast<std::byte>(c));
        return b;
    };
    for (std::size_t i = 0; i < payloads.size(); ++i) {
        const orm::blob b = bytes(payloads[i]);
        if (i == 3) {  // 0xBF 0x27 is no GBK character: the server refuses it as data, nothing runs
            CHECK_THROWS_AS(conn.execute("INSERT INTO gbk_probe VALUES (?, ?, ?)", std::int64_t(i), b, b), orm::data_error);
            continue;
        }
        conn.execute("INSERT INTO gbk_probe VALUES (?, ?, ?)", std::int64_t(i), b, b);
    }
    CHECK(orm_test::count_rows(conn, "gbk_probe") == 3);  // the table is still there, nothing deleted or added
    for (std::size_t i = 0; i < 3; ++i) {
        INFO(i);
        const orm::blob b = bytes(payloads[i]);
        auto rows = conn.query<std::tuple<std::int64_t, orm::blob, std::string>>("SELECT id, b, HEX(t) FROM gbk_probe WHERE t = ?", b);
        REQUIRE(rows.size() == 1);
        CHECK(std::get<0>(rows[0]) == static_cast<std::int64_t>(i));
        CHECK(std::get<1>(rows[0]) == b);
        std::string hex;  // the stored GBK bytes, verbatim
        for (unsigned char c : payloads[i]) hex += "0123456789ABCDEF"[c >> 4], hex += "0123456789ABCDEF"[c & 15];
        CHECK(std::get<2>(rows[0]) == hex);
    }
    conn.execute("DROP TABLE gbk_probe");
}

TEST_CASE("a connection lost during commit: every object the session handed out stays readable", "[session][lifetime]") {
    auto db = orm_test::fresh_engine<models::Author>();
    orm_test::seed(db, models::Author{.id = 1, .name = "Ada"});
    orm::session s(db);
    models::Author* loaded = s.get<models::Author>(1);
    REQUIRE(loaded);
    models::Author& flushed = s.add(models::Author{.name = "flushed"});
    s.flush();
    models::Author& pending = s.add(models::Author{.name = "pending"});
    loaded->name = "changed";
    const auto id = s.conn().execute("SELECT CONNECTION_ID()").scalar<std::uint64_t>();
    orm_test::make_engine().connect().execute("KILL CONNECTION " + std::to_string(id));  // an integer we read
    CHECK_THROWS_AS(s.commit(), orm::connection_error);
    // The transaction is gone: the session was rolled back, and nothing was freed.
    CHECK(s.status(pending) == orm::object_status::detached);
    CHECK(s.status(flushed) == orm::object_status::detached);
    CHECK(s.status(*loaded) == orm::object_status::persistent);
    CHECK(pending.name == "pending");
    CHECK(flushed.name == "flushed");
    CHECK(loaded->name == "changed");  // expired: the next get() reloads it
    CHECK(s.get<models::Author>(1)->name == "Ada");
    CHECK(orm_test::count_rows(db, "author") == 1);
}

TEST_CASE("FOR UPDATE NOWAIT fails at once on a locked row, SKIP LOCKED leaves it out", "[concurrency]") {
    auto db = orm_test::fresh_engine<models::Account>();
    orm_test::seed(db, models::Account{.id = 1, .balance = 1}, models::Account{.id = 2, .balance = 2}, models::Account{.id = 3, .balance = 3});
    auto holder = db.connect();
    auto held = holder.begin();
    REQUIRE(holder.get<models::Account>(orm::for_update, 2));  // row 2 locked until `held` ends
    auto other = db.connect();
    auto tx = other.begin();
    const auto started = std::chrono::steady_clock::now();
    try {
        (void)other.get<models::Account>(orm::for_update.nowait(), 2);
        FAIL("expected NOWAIT to fail on the locked row");
    } catch (const orm::error& e) {
        CHECK(e.is_retryable());  // 1205: lock wait timeout (at once)
    }
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(3));
    auto free_rows = other.select<models::Account>().order_by(orm::asc(&models::Account::id)).lock(orm::for_update.skip_locked()).all();
    REQUIRE(free_rows.size() == 2);
    CHECK(free_rows[0].id == 1);
    CHECK(free_rows[1].id == 3);
    tx.rollback();
    held.rollback();
}

TEST_CASE("isolation levels: READ COMMITTED sees another commit, REPEATABLE READ does not", "[concurrency]") {
    auto db = orm_test::fresh_engine<models::Account>();
    orm_test::seed(db, models::Account{.id = 1, .balance = 100});
    auto writer = db.connect();
    for (auto level : {orm::isolation::read_committed, orm::isolation::repeatable_read}) {
        auto reader = db.connect();
        auto tx = reader.begin({.isolation = level});
        const auto before = reader.get<models::Account>(1)->balance;
        writer.execute(orm::update<models::Account>().set(&models::Account::balance, before + 1).where(orm::col(&models::Account::id) == 1));
        const auto after = reader.get<models::Account>(1)->balance;
        if (level == orm::isolation::read_committed) CHECK(after == before + 1);
        else CHECK(after == before);  // the transaction's snapshot
        tx.commit();
    }
    // The level applies to that one transaction: the connection's next one has the server's default.
    auto conn = db.connect();
    CHECK(conn.execute("SELECT @@tx_isolation").scalar<std::string>() == "REPEATABLE-READ");
}
