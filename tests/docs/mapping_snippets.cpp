// docs/mapping.md's code: the doc's own models (at namespace scope, as the
// specialisations of orm::model need), their DDL per dialect, and a test that
// creates their tables on SQLite. The custom types it shows are the test
// models' (tests/support/models.hpp).
#include <iostream>

#include "snippets.hpp"

// [author-model]
struct Author { std::int64_t id = 0; std::string name; std::optional<std::string> email; };
// [/author-model]

// [ticket-model]
struct Ticket { std::int64_t project = 0; std::int32_t number = 0; std::string title; std::int64_t version = 0; };
template <> struct orm::model<Ticket> {
    static constexpr auto table = "tickets";                                                      // table name
    static constexpr auto columns = orm::columns(orm::column(&Ticket::title, orm::length(200)));  // column(...), foreign_key(...)
    static constexpr auto primary_key = orm::primary_key(&Ticket::project, &Ticket::number);      // composite key
    static constexpr auto indexes = orm::indexes(orm::index("ix_tickets_title", &Ticket::title)); // index(...), unique(...)
    static constexpr auto version = &Ticket::version;                                             // optimistic-concurrency counter
    static constexpr auto options = orm::table_options(orm::mysql::row_format("DYNAMIC"));        // backend options (below)
};
// [/ticket-model]

// [book-model]
struct Book { std::int64_t id = 0; std::int64_t author_id = 0; std::string title; double price = 0;
              std::optional<std::string> isbn; };
template <> struct orm::model<Book> {
    static constexpr auto table = "books";
    static constexpr auto columns = orm::columns(
        orm::column(&Book::title, orm::length(200), orm::index),
        orm::column(&Book::isbn, orm::length(13), orm::unique),
        orm::foreign_key(&Book::author_id, &Author::id, orm::on_delete::cascade));
};
// [/book-model]

// [order-line-model]
struct OrderLine { std::int64_t order_id = 0; std::int32_t number = 0; std::string sku; std::int32_t quantity = 0; };
template <> struct orm::model<OrderLine> {
    static constexpr auto table = "order_lines";
    static constexpr auto primary_key = orm::primary_key(&OrderLine::order_id, &OrderLine::number);
    static constexpr auto columns = orm::columns(orm::column(&OrderLine::quantity, orm::name("qty"),
                                                             orm::server_default("1")));
    static constexpr auto indexes = orm::indexes(orm::index("ix_order_lines_sku_qty", &OrderLine::sku,
                                                            &OrderLine::quantity));
};
// [/order-line-model]

// [category-model]
struct Category { std::int32_t code = 0; std::optional<std::int32_t> parent_code; std::string label; };
template <> struct orm::model<Category> {
    static constexpr auto columns = orm::columns(
        orm::column(&Category::code, orm::primary_key, orm::no_auto_increment),
        orm::foreign_key(&Category::parent_code, &Category::code, orm::on_delete::set_null),
        orm::column(&Category::label, orm::length(50), orm::unique));
};
// [/category-model]

// [customer-order-models]
struct Customer { std::int64_t id = 0; std::string email; std::string first; std::string last; };
struct Order { std::uint64_t id = 0; std::int64_t customer_id = 0; std::chrono::sys_seconds created{}; };
template <> struct orm::model<Customer> {
    static constexpr auto columns = orm::columns(orm::column(&Customer::email, orm::length(320), orm::unique));
    static constexpr auto indexes = orm::indexes(orm::unique("uq_customer_name", &Customer::first, &Customer::last));
};
template <> struct orm::model<Order> {
    static constexpr auto table = "orders";
    static constexpr auto columns = orm::columns(
        orm::foreign_key(&Order::customer_id, &Customer::id, orm::on_delete::restrict, orm::on_update::cascade),
        orm::column(&Order::created, orm::server_default("CURRENT_TIMESTAMP")));
};
// [/customer-order-models]

struct Label { std::int64_t id = 0; std::string exact; std::string folded; };
struct Setting { std::string key; std::int64_t number = 0; };

// [table-options]
template <> struct orm::model<Label> {
    static constexpr auto options = orm::table_options(orm::mysql::collation("utf8mb4_nopad_bin"));
    static constexpr auto columns = orm::columns(
        orm::column(&Label::folded, orm::mysql::collation("utf8mb4_general_ci"), orm::sqlite::collation("NOCASE")));
};
template <> struct orm::model<Setting> {
    static constexpr auto options = orm::table_options(orm::sqlite::strict, orm::sqlite::without_rowid,
                                                       orm::mysql::engine("InnoDB"), orm::mysql::row_format("DYNAMIC"));
    static constexpr auto columns = orm::columns(orm::column(&Setting::key, orm::primary_key, orm::length(40)));
};
// [/table-options]

// [enum-as-name]
enum class Mood { happy, sad, in_between };
template <> inline constexpr bool orm::enum_as_name<Mood> = true;   // VARCHAR(10): "in_between"
// [/enum-as-name]

// [decimal-model]
struct Invoice { std::int64_t id = 0; orm::decimal total; std::optional<orm::decimal> discount; };
template <> struct orm::model<Invoice> {
    static constexpr auto columns = orm::columns(orm::column(&Invoice::total, orm::precision(12, 2)));
};
Invoice i{.total = orm::decimal("1234.50")};   // total DECIMAL(12, 2), discount DECIMAL(38, 10)
// [/decimal-model]

// [json-model]
#include <orm/json.hpp>   // not in <orm/orm.hpp>, to keep build times down; needs nlohmann-json3-dev

struct Event { std::int64_t id = 0; nlohmann::json payload; std::optional<orm::json_text> raw;
               std::chrono::sys_seconds seen{std::chrono::seconds{1}}; };
// [/json-model]

// [time-model]
struct Shift { std::int64_t id = 0; std::chrono::microseconds length{}; std::chrono::hh_mm_ss<std::chrono::seconds> start{}; };  // TIME(6), TIME
// [/time-model]

struct Row { std::int64_t id = 0; Mood mood = Mood::happy; orm::uuid token; };

namespace {

/// The DDL create_all runs for the tables of Ts, per dialect.
template <class... Ts>
docs::sql_example::compiled ddl_of() {
    return [](const orm::dialect& d) { return orm::create_all_ddl(d, {&orm::table_of<Ts>()...}); };
}
const docs::sql_example author_ddl{"author-ddl", ddl_of<Author>()};
const docs::sql_example book_ddl{"book-ddl", ddl_of<Book>()};
const docs::sql_example order_line_ddl{"order-line-ddl", ddl_of<OrderLine>()};
const docs::sql_example category_ddl{"category-ddl", ddl_of<Category>()};
const docs::sql_example customer_order_ddl{"customer-order-ddl", ddl_of<Customer, Order>()};
const docs::sql_example table_options_ddl{"table-options-ddl", ddl_of<Label, Setting>()};
const docs::sql_example decimal_ddl{"decimal-ddl", ddl_of<Invoice>()};
const docs::sql_example custom_types_ddl{"custom-types-ddl", ddl_of<models::Wallet>()};

struct uuid_texts {
    std::string text;
    orm::uuid id, fresh;
};

uuid_texts uuids() {
    // [uuid]
    orm::uuid id = orm::uuid::parse("123e4567-E89B-12d3-a456-426614174000");  // either case; else data_error
    orm::uuid fresh = orm::uuid::random();                                    // version 4
    std::string text = id.to_string();                                        // lower case
    // [/uuid]
    return {text, id, fresh};
}

}  // namespace

TEST_CASE("docs.mapping: the doc's models create their tables and store rows on SQLite", "[sqlite][docs]") {
    auto db = orm_test::make_engine();
    orm::create_all<Author, Ticket, Book, OrderLine, Category, Customer, Order, Label, Setting, Invoice, Event, Shift, Row>(db);
    auto conn = db.connect();
    Invoice copy = i;
    conn.insert(copy);
    CHECK(conn.get<Invoice>(copy.id)->total == orm::decimal("1234.5"));
    Row row{.mood = Mood::in_between, .token = orm::uuid::parse("123e4567-e89b-12d3-a456-426614174000")};
    conn.insert(row);
    CHECK(conn.query<std::tuple<std::string>>("SELECT mood FROM row") == std::vector{std::tuple<std::string>{"in_between"}});
    CHECK(conn.select<Row>().where(orm::col(&Row::token) == row.token).count() == 1);
    Ticket t{.project = 1, .number = 7, .title = "first"};
    conn.insert(t);
    CHECK(conn.get<Ticket>(std::int64_t{1}, 7)->title == "first");
}

TEST_CASE("docs.mapping: UUIDs parse either case and print lower case", "[sqlite][docs]") {
    const auto got = uuids();
    CHECK(got.text == "123e4567-e89b-12d3-a456-426614174000");
    CHECK(got.fresh != got.id);
    CHECK_THROWS_AS(orm::uuid::parse("not a uuid"), orm::data_error);
}
