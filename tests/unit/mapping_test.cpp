// Reflection and model declarations: names, indices, defaults, overrides, and
// the mistakes found at start-up (compile-time mistakes: tests/compile_fail).
#include <catch2/catch.hpp>

#include "../support/models.hpp"

using namespace models;

namespace shop {
struct HTTPServerLog {
    std::int64_t id = 0;
    std::string line;
};
}  // namespace shop

// Compile-time facts.
static_assert(orm::field_count<Book> == 5);
static_assert(orm::field_name<Book, 2>() == "title");
static_assert(orm::field_index(&Book::isbn) == 4);
static_assert(orm::field_index(&Everything::maybe_color) == 24);
static_assert(orm::type_name<shop::HTTPServerLog>() == "HTTPServerLog");
static_assert(orm::column_value<std::optional<std::chrono::sys_seconds>>);
static_assert(!orm::column_value<long double>);
static_assert(!orm::column_value<char>);

TEST_CASE("snake_case table names from type names", "[mapping]") {
    CHECK(orm::to_snake_case("OrderLine") == "order_line");
    CHECK(orm::to_snake_case("HTTPServerLog") == "http_server_log");
    CHECK(orm::to_snake_case("Author") == "author");
    CHECK(orm::to_snake_case("already_snake") == "already_snake");
    CHECK(orm::table_of<shop::HTTPServerLog>().name == "http_server_log");
}

TEST_CASE("defaults: id is an auto-increment key, optional is NULL-able", "[mapping]") {
    const auto& t = orm::table_of<Author>();
    CHECK(t.name == "author");
    REQUIRE(t.columns.size() == 3);
    CHECK(t.primary_key == std::vector<std::size_t>{0});
    CHECK(t.columns[0].auto_increment);
    CHECK_FALSE(t.columns[1].nullable);
    CHECK(t.columns[2].nullable);
    CHECK(t.auto_increment_column() == &t.columns[0]);
}

TEST_CASE("overrides: table, column name, composite key, server default, named index", "[mapping]") {
    const auto& t = orm::table_of<OrderLine>();
    CHECK(t.name == "order_lines");
    CHECK(t.primary_key == std::vector<std::size_t>{0, 1});
    CHECK(t.auto_increment_column() == nullptr);
    CHECK(t.columns[3].name == "qty");
    CHECK(t.columns[3].server_default == "1");
    REQUIRE(t.indexes.size() == 1);
    CHECK(t.indexes[0].name == "ix_order_lines_sku_qty");
    CHECK(t.indexes[0].columns == std::vector<std::size_t>{2, 3});
    CHECK(t.columns[2].length == 255);  // an indexed string gets a bounded length
}

TEST_CASE("foreign keys resolve their target lazily, including self-references", "[mapping]") {
    const auto& book = orm::table_of<Book>();
    REQUIRE(book.foreign_keys.size() == 1);
    CHECK(book.foreign_keys[0].target().name == "author");
    CHECK(book.foreign_keys[0].on_delete == orm::referential_action::cascade);
    const auto& cat = orm::table_of<Category>();
    CHECK(&cat.foreign_keys.at(0).target() == &cat);
    CHECK_FALSE(cat.columns[0].auto_increment);  // orm::no_auto_increment
}

namespace mistakes {
struct NoKey {
    std::string name;
};
struct ClashingNames {
    std::int64_t id = 0;
    std::string a;
    std::string b;
};
struct LengthOnNumber {
    std::int64_t id = 0;
    std::int32_t n = 0;
};
struct AutoIncrementText {
    std::string code;
};
}  // namespace mistakes

template <>
struct orm::model<mistakes::ClashingNames> {
    static constexpr auto columns = orm::columns(orm::column(&mistakes::ClashingNames::b, orm::name("a")));
};
template <>
struct orm::model<mistakes::LengthOnNumber> {
    static constexpr auto columns = orm::columns(orm::column(&mistakes::LengthOnNumber::n, orm::length(3)));
};
template <>
struct orm::model<mistakes::AutoIncrementText> {
    static constexpr auto columns =
        orm::columns(orm::column(&mistakes::AutoIncrementText::code, orm::primary_key, orm::auto_increment));
};

TEST_CASE("mapping mistakes found at start-up raise mapping_error naming the table and problem", "[mapping][errors]") {
    CHECK_THROWS_WITH(orm::table_of<mistakes::NoKey>(), Catch::Contains("no_key") && Catch::Contains("no primary key"));
    CHECK_THROWS_WITH(orm::table_of<mistakes::ClashingNames>(), Catch::Contains("two columns are named 'a'"));
    CHECK_THROWS_AS(orm::table_of<mistakes::LengthOnNumber>(), orm::mapping_error);
    CHECK_THROWS_WITH(orm::table_of<mistakes::AutoIncrementText>(), Catch::Contains("not a single-column integer primary key"));
}

namespace {
/// A cursor that lends text and refuses get() for text columns: hydration must use get_text().
class lending_cursor final : public orm::driver::cursor {
public:
    bool next() override { return false; }
    std::size_t column_count() const override { return 3; }
    std::string column_name(std::size_t i) const override { return "c" + std::to_string(i); }
    orm::value get(std::size_t i) override {
        if (i == 0) return std::int64_t{7};
        throw std::logic_error("get() of a text column: the text should have been borrowed");
    }
    std::optional<std::string_view> get_text(std::size_t i) override {
        ++lent;
        if (i == 1) return std::string_view("Ada");
        if (i == 2) return std::string_view("2024-02-29 12:00:01");
        return std::nullopt;
    }
    int lent = 0;
};
struct lent_row {
    std::int64_t id = 0;
    std::string name;
    std::chrono::sys_seconds at;
};
}  // namespace

namespace {
// A driver holding column 0 as a 64-bit integer and column 1 as a double; get() is only the fallback.
class typed_cursor final : public orm::driver::cursor {
public:
    explicit typed_cursor(std::int64_t n) : n_(n) {}
    bool next() override { return false; }
    std::size_t column_count() const override { return 2; }
    std::string column_name(std::size_t i) const override { return "c" + std::to_string(i); }
    orm::value get(std::size_t i) override {
        ++fallbacks;
        return i == 0 ? orm::value{n_} : orm::value{2.5};
    }
    std::optional<std::int64_t> get_int64(std::size_t i) override { return i == 0 ? std::optional(n_) : std::nullopt; }
    std::optional<double> get_double(std::size_t i) override { return i == 1 ? std::optional(2.5) : std::nullopt; }
    int fallbacks = 0;

private:
    std::int64_t n_;
};
struct small_row {
    std::int16_t n = 0;
    double d = 0;
};
}  // namespace

TEST_CASE("hydration reads integers and doubles the driver holds as such without orm::value", "[mapping]") {
    typed_cursor rows(-300);
    small_row r;
    for (std::size_t i = 0; i < 2; ++i) orm::detail::row_codec<small_row>::readers[i](r, rows, i);
    CHECK(r.n == -300);
    CHECK(r.d == 2.5);
    CHECK(rows.fallbacks == 0);
    // Out of the field's range: through get() and from_value, which names the problem.
    typed_cursor too_big(70'000);
    CHECK_THROWS_AS(orm::detail::row_codec<small_row>::readers[0](r, too_big, 0), orm::data_error);
    CHECK(too_big.fallbacks == 1);
}

TEST_CASE("hydration reads strings and date-times from text the driver lends, numbers through get() where the driver has no typed read", "[mapping]") {
    lending_cursor rows;
    lent_row r;
    for (std::size_t i = 0; i < 3; ++i) orm::detail::row_codec<lent_row>::readers[i](r, rows, i);
    CHECK(r.id == 7);
    CHECK(r.name == "Ada");
    CHECK(r.at == std::chrono::sys_days{std::chrono::year{2024} / 2 / 29} + std::chrono::hours{12} + std::chrono::seconds{1});
    CHECK(rows.lent == 2);  // the integer column never asked for text
}

namespace {
// A driver holding column 0 as a date-time in parts (microseconds since the epoch); text only as the fallback.
class datetime_cursor final : public orm::driver::cursor {
public:
    explicit datetime_cursor(std::int64_t micros) : micros_(micros) {}
    bool next() override { return false; }
    std::size_t column_count() const override { return 1; }
    std::string column_name(std::size_t) const override { return "at"; }
    orm::value get(std::size_t) override {
        ++fallbacks;
        return orm::value{std::string("2024-02-29 12:00:01.5")};
    }
    std::optional<std::string_view> get_text(std::size_t) override {
        ++fallbacks;
        return std::string_view("2024-02-29 12:00:01.5");
    }
    std::optional<std::int64_t> get_datetime_micros(std::size_t) override { return micros_; }
    int fallbacks = 0;

private:
    std::int64_t micros_;
};
struct stamped_row {
    std::chrono::sys_seconds at;
};
struct precise_row {
    std::optional<std::chrono::sys_time<std::chrono::microseconds>> at;
};
}  // namespace

TEST_CASE("hydration reads date-times the driver holds in parts without text", "[mapping]") {
    using namespace std::chrono;
    const sys_seconds noon_and_one = sys_days{year{2024} / 2 / 29} + hours{12} + seconds{1};
    const std::int64_t micros = duration_cast<microseconds>(noon_and_one.time_since_epoch()).count();
    datetime_cursor whole(micros);
    stamped_row r;
    orm::detail::row_codec<stamped_row>::readers[0](r, whole, 0);
    CHECK(r.at == noon_and_one);
    CHECK(whole.fallbacks == 0);

    datetime_cursor fine(micros + 500'000);  // 12:00:01.5
    precise_row p;
    orm::detail::row_codec<precise_row>::readers[0](p, fine, 0);
    REQUIRE(p.at);
    CHECK(*p.at == noon_and_one + milliseconds{500});
    CHECK(fine.fallbacks == 0);
    // A fraction a whole-second field cannot hold: the same range error as from text, showing the column's value.
    try {
        orm::detail::row_codec<stamped_row>::readers[0](r, fine, 0);
        FAIL("a fraction was dropped silently");
    } catch (const orm::data_error& e) {
        CHECK(std::string(e.what()).find("2024-02-29 12:00:01.5") != std::string::npos);
    }
}
