// Behaviour of the libmariadb driver that Connector/C++ 1.1 cannot have:
// unbuffered rows of a prepared statement with parameters.
#include <catch2/catch.hpp>

#include <malloc.h>  // malloc_trim (glibc)

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <string>
#include <string_view>

#include "../support/backend.hpp"

namespace {

/// One row of the streaming tests: a key and 255 bytes of text.
struct stream_row {
    std::int64_t id = 0;
    std::string payload;
};

}  // namespace

template <>
struct orm::model<stream_row> {
    static constexpr auto table = "stream_rows";
    static constexpr auto columns = orm::columns(orm::column(&stream_row::payload, orm::length(255)));
};

namespace {

constexpr std::int64_t stream_rows = 100'000;
constexpr std::size_t payload_bytes = 255;

/// Resident memory of this process in KiB (VmRSS of /proc/self/status), or -1.
long resident_kib() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmRSS:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10);
    return -1;
}

/// An engine on a fresh stream_rows table holding rows 1..stream_rows, made by
/// the server (MariaDB's sequence engine) so the client never holds them.
orm::engine engine_with_stream_rows() {
    auto db = orm_test::make_engine();
    orm::drop_all<stream_row>(db);
    orm::create_all<stream_row>(db);
    auto conn = db.connect();
    conn.execute("INSERT INTO stream_rows (id, payload) SELECT seq, REPEAT('x', " + std::to_string(payload_bytes) +
                 ") FROM seq_1_to_" + std::to_string(stream_rows));
    return db;
}

}  // namespace


TEST_CASE("100,000 rows selected with a bound parameter stream without being buffered in the client",
          "[query][streaming]") {
    auto db = engine_with_stream_rows();
    auto conn = db.connect();
    REQUIRE(conn.select<stream_row>().count() == stream_rows);
    malloc_trim(0);  // memory freed before this point must not hide a buffered result
    const long baseline = resident_kib();
    REQUIRE(baseline > 0);
    long peak = baseline;
    std::int64_t seen = 0, id_sum = 0;
    bool intact = true;
    // WHERE id > ?: a prepared statement with a parameter (Connector/C++ buffers those whole).
    for (const stream_row& r : conn.select<stream_row>().where(orm::col(&stream_row::id) > std::int64_t{0}).stream()) {
        ++seen;
        id_sum += r.id;
        intact = intact && r.payload.size() == payload_bytes;
        if (seen % 1000 == 1) peak = std::max(peak, resident_kib());
    }
    CHECK(seen == stream_rows);
    CHECK(id_sum == stream_rows * (stream_rows + 1) / 2);
    CHECK(intact);
    // Buffered, the rows would take more than 25 MB (100,000 x 255 bytes of
    // text alone); streamed, memory stays within a few MiB of where it started.
    INFO("resident memory grew by " << (peak - baseline) << " KiB while reading");
#if defined(__SANITIZE_ADDRESS__)
    // ASan's allocator maps regions of its own and quarantines freed memory: a
    // looser bound, still far below what a buffered result would take.
    CHECK(peak - baseline < 12 * 1024);
#else
    CHECK(peak - baseline < 4 * 1024);
#endif
}

TEST_CASE("a new statement on the connection drains unread rows and expires their cursor", "[query][streaming]") {
    auto db = engine_with_stream_rows();
    auto conn = db.connect();
    // A cursor of the driver, read in part (a stream() refuses the next statement before it runs).
    auto rows = conn.run(orm::select<stream_row>().where(orm::col(&stream_row::id) > std::int64_t{10}).to_sql(conn.sql_dialect()));
    REQUIRE(rows);
    REQUIRE(rows->next());
    CHECK(orm::from_value<std::int64_t>(rows->get(0)) == 11);
    REQUIRE(rows->next());
    CHECK(orm::from_value<std::int64_t>(rows->get(0)) == 12);
    // The rest of the rows are read and dropped before this statement runs.
    CHECK(conn.execute("SELECT COUNT(*) FROM stream_rows WHERE id > ?", std::int64_t{10}).scalar<std::int64_t>() ==
          stream_rows - 10);
    CHECK_THROWS_AS(rows->next(), orm::interface_error);
    CHECK(conn.execute("SELECT 1").scalar<int>() == 1);
}

TEST_CASE("KILL QUERY while rows are being streamed is an error, not a short result", "[query][streaming][errors]") {
    auto db = engine_with_stream_rows();
    auto conn = db.connect();
    const auto id = conn.execute("SELECT CONNECTION_ID()").scalar<std::uint64_t>();
    std::int64_t seen = 0;
    try {
        for (const stream_row& r : conn.select<stream_row>().where(orm::col(&stream_row::id) > std::int64_t{0}).stream()) {
            (void)r;
            if (++seen == 10) db.connect().execute("KILL QUERY " + std::to_string(id));  // an integer we read
        }
        FAIL("expected an error after " << seen << " rows");
    } catch (const orm::database_error& e) {
        CHECK(e.native_code() == 1317);  // query execution was interrupted
    }
    CHECK(seen < stream_rows);
    CHECK(conn.execute("SELECT 1").scalar<int>() == 1);  // the connection still works
}

TEST_CASE("values longer than the bound buffers are read whole: 1 MiB text and blob, DECIMAL(65, 30)", "[types]") {
    auto db = orm_test::make_engine();
    auto conn = db.connect();
    conn.execute("DROP TABLE IF EXISTS long_values");
    conn.execute("CREATE TABLE long_values (id INT PRIMARY KEY, t LONGTEXT, b LONGBLOB, d DECIMAL(65, 30))");
    std::string text(1 << 20, 'a');
    for (std::size_t i = 0; i < text.size(); i += 997) text[i] = static_cast<char>('b' + i % 20);
    orm::blob bytes(1 << 20);
    for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<std::byte>(i * 31 % 256);
    const std::string decimal = "-" + std::string(35, '9') + "." + std::string(30, '9');  // 67 characters
    conn.execute("INSERT INTO long_values VALUES (1, ?, ?, ?), (2, 'short', x'01', 1)", text, bytes, decimal);
    // Row 1 grows the buffers, row 2 reads through the grown ones.
    const orm::result rows = conn.execute("SELECT t, b, d FROM long_values WHERE id > ? ORDER BY id", std::int64_t{0});
    REQUIRE(rows.size() == 2);
    CHECK(rows.at(0)[0] == orm::value(text));
    CHECK(rows.at(0)[1] == orm::value(bytes));
    CHECK(rows.at(0)[2] == orm::value(decimal));
    CHECK(rows.at(1)[0] == orm::value(std::string("short")));
    CHECK(rows.at(1)[1] == orm::value(orm::blob{std::byte{1}}));
    CHECK(rows.at(1)[2] == orm::value(std::string("1.000000000000000000000000000000")));
    conn.execute("DROP TABLE long_values");
}
