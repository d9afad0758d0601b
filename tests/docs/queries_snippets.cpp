// docs/queries.md's code: each construct as the doc shows it, the SQL it
// sends per dialect (docs::sql_example, run on a dry engine), and tests that
// run it on SQLite and check the rows.
#include <iostream>

#include "snippets.hpp"

// [models]
#include "support/models.hpp"        // Author, Book, Account
#include "support/store_models.hpp"  // a music store: Employee, Address, Sale, Album, Track, Ledger
using namespace models;  // struct Author { std::int64_t id = 0; std::string name; std::optional<std::string> email; };
                         // struct Book { std::int64_t id = 0; std::int64_t author_id = 0; std::string title; double price = 0;
                         //               std::optional<std::string> isbn; };
                         // model<Book>: table "books", foreign_key(&Book::author_id, &Author::id)
using namespace store;
using orm::col;
// [/models]

// [author-stats]
struct AuthorStats { std::int64_t author_id = 0; std::int64_t books = 0; std::optional<double> total; };
// [/author-stats]

// [title-price]
struct TitlePrice { std::string title; double price = 0; };   // at namespace scope
// [/title-price]

namespace {

const docs::sql_example select_books{"select-books", [](orm::connection& conn) { conn.select<Book>().all(); }};

// The rows of the conditions table, in its order.
const docs::sql_example conditions{"conditions",
                                   [](orm::connection& conn) {
                                       const std::vector<std::int64_t> ids{4, 5};
                                       conn.select<Book>().where(col(&Book::price) == 9.5).all();
                                       conn.select<Book>().where(col(&Book::title) != "x").all();
                                       conn.select<Book>().where(col(&Book::price) < 9.5).all();
                                       conn.select<Book>().where(col(&Book::isbn) == std::nullopt).all();
                                       conn.select<Book>().where(col(&Book::isbn) != std::nullopt).all();
                                       conn.select<Book>().where(col(&Book::price) * 2 + 1 > 20.0).all();
                                       conn.select<Book>().where(col(&Book::price) - col(&Book::id) > 0).all();
                                       conn.select<Book>().where(orm::val(5.0) < col(&Book::price)).all();
                                       conn.select<Book>().where(col(&Book::title).like("N%")).all();
                                       conn.select<Book>().where(col(&Book::id).in({1, 2, 3})).all();
                                       conn.select<Book>().where(col(&Book::id).in(ids)).all();
                                       conn.select<Book>().where(col(&Book::id).in(std::vector<std::int64_t>{})).all();
                                       conn.select<Book>().where(col(&Book::price).between(2.0, 4.0)).all();
                                       const std::optional<std::string> no_isbn, isbn = "978-0";
                                       conn.select<Book>().where(col(&Book::isbn) == no_isbn).all();
                                       conn.select<Book>().where(col(&Book::isbn) == isbn).all();
                                   },
                                   {.from = "WHERE"}};

std::vector<Book> combined(orm::connection& conn) {
    // [combine]
    auto books = conn.select<Book>()
                     .where((col(&Book::price) > 5.0 && col(&Book::title).like("N%")) || !(col(&Book::author_id) == 1))
                     .all();
    // [/combine]
    return books;
}
const docs::sql_example combine_sql{"combine", [](orm::connection& conn) { combined(conn); }, {.from = "WHERE"}};

std::vector<Book> filtered(orm::connection& conn, std::optional<double> max_price, std::optional<std::int64_t> author,
                           const std::string& prefix) {
    // [predicate]
    orm::predicate<Book> filter;
    if (max_price) filter = filter && col(&Book::price) <= *max_price;
    if (author) filter = filter && col(&Book::author_id) == *author;
    if (!prefix.empty()) filter = filter && col(&Book::title).like(prefix + "%");
    auto books = conn.select<Book>().where(filter).all();
    // [/predicate]
    return books;
}
const docs::sql_example predicate_sql{"predicate", [](orm::connection& conn) { filtered(conn, 6.0, std::nullopt, "C"); }, {.from = "WHERE"}};

std::vector<Book> ordered(orm::connection& conn) {
    // [ordering]
    auto page = conn.select<Book>().where(col(&Book::price) > 5.0)
                    .order_by(orm::desc(&Book::price), orm::asc(&Book::id))   // several keys, in order
                    .limit(10).offset(20).all();
    // [/ordering]
    return page;
}
const docs::sql_example ordering_sql{"ordering", [](orm::connection& conn) { ordered(conn); }, {.from = "WHERE"}};

struct more_orderings {
    std::vector<Book> by_expression, skipped;
    std::vector<std::int64_t> authors;
};
more_orderings ordered_more(orm::connection& conn) {
    // [ordering-more]
    auto by_expression = conn.select<Book>().order_by(orm::desc(col(&Book::price) * 2)).all();
    auto skipped = conn.select<Book>().offset(5).all();
    auto authors = conn.select<Book>().columns(col(&Book::author_id)).distinct().all();
    // [/ordering-more]
    return {by_expression, skipped, authors};
}
const docs::sql_example ordering_more_sql{"ordering-more", [](orm::connection& conn) { ordered_more(conn); }};

struct run_results {
    std::vector<Author> rows;
    std::optional<Author> first, maybe;
    Author one;
    std::int64_t n = 0;
    bool any = false;
};
run_results running(orm::connection& conn) {
    // [running]
    const auto ada = conn.select<Author>().where(col(&Author::name) == "Ada");
    std::vector<Author> rows = ada.all();
    std::optional<Author> first = ada.first();
    std::optional<Author> maybe = ada.one_or_none();  // or orm::multiple_results_error
    std::int64_t n = ada.count();
    bool any = ada.exists();
    Author one = ada.one();                           // or orm::no_result_error, orm::multiple_results_error
    // [/running]
    return {rows, first, maybe, one, n, any};
}
const docs::sql_example running_sql{"running", [](orm::connection& conn) { running(conn); }};

struct anywhere_results {
    std::vector<Book> rows;
    std::vector<Book*> objects;
    std::int64_t n = 0;
};
anywhere_results anywhere(orm::connection& conn, orm::session& session, orm::connection& other_conn) {
    // [query-value]
    const auto cheap = orm::select<Book>().where(col(&Book::price) < 5.0);   // no connection yet
    std::vector<Book> rows = cheap.all(conn);           // by value
    std::vector<Book*> objects = cheap.all(session);    // the session's objects
    std::int64_t n = cheap.count(other_conn);
    // [/query-value]
    return {rows, objects, n};
}

struct counts {
    std::int64_t authors = 0, at_most_5 = 0, groups = 0, joined = 0;
};
counts counted(orm::connection& conn) {
    // [count]
    std::int64_t authors = conn.select<Book>().columns(col(&Book::author_id)).distinct().count();   // distinct authors
    std::int64_t at_most_5 = conn.select<Book>().limit(5).count();
    std::int64_t groups = conn.select<Book>().columns(col(&Book::author_id)).group_by(col(&Book::author_id)).count();
    std::int64_t joined = conn.select<Book>().join<Author>().count();
    // [/count]
    return {authors, at_most_5, groups, joined};
}
const docs::sql_example count_sql{"count", [](orm::connection& conn) { counted(conn); }};

void buffered(orm::session& s, orm::connection& conn) {
    // [buffered]
    for (Book* b : s.query<Book>()) s.get<Author>(b->author_id);   // a get() that runs SQL: fine
    for (const Book& b : conn.select<Book>()) conn.get<Author>(b.author_id);
    // [/buffered]
}

double streamed(orm::session& s, orm::connection& conn) {
    double total = 0;
    // [streaming]
    for (const Book& b : conn.select<Book>().order_by(orm::asc(&Book::id)).stream()) total += b.price;
    for (Book* b : s.query<Book>().stream()) b->price *= 1.1;    // flushed after the loop
    // [/streaming]
    return total;
}
const docs::sql_example streaming_sql{"streaming", [](orm::engine& engine) {
                                          orm::session s(engine);
                                          auto conn = engine.connect();
                                          streamed(s, conn);
                                      }};

auto projected(orm::connection& conn) {
    // [projections]
    std::vector<std::tuple<std::string, double>> rows = conn.select<Book>().columns(col(&Book::title), col(&Book::price)).all();
    std::vector<std::string> titles = conn.select<Book>().columns(col(&Book::title)).all();
    // [/projections]
    return std::pair{rows, titles};
}
const docs::sql_example projections_sql{"projections", [](orm::connection& conn) { projected(conn); }};

auto aggregated(orm::connection& conn) {
    // [aggregates]
    auto [isbns, authors, total] = conn.select<Book>()
        .columns(orm::count(col(&Book::isbn)), orm::count_distinct(col(&Book::author_id)), orm::sum(col(&Book::price)))
        .where(col(&Book::id) > 1000)
        .one();   // no rows: 0, 0 and std::nullopt
    // [/aggregates]
    return std::tuple{isbns, authors, total};
}
const docs::sql_example aggregates_sql{"aggregates", [](orm::connection& conn) { aggregated(conn); }};

auto per_author_of(orm::connection& conn) {
    // [per-author]
    auto per_author = conn.select<Book>()
        .columns(col(&Book::author_id), orm::count(), orm::sum(col(&Book::price)), orm::avg(col(&Book::price)),
                 orm::min(col(&Book::price)), orm::max(col(&Book::price)))
        .group_by(col(&Book::author_id))
        .having(orm::count() > 1)
        .order_by(orm::desc(orm::count()))
        .all();   // std::vector<std::tuple<std::int64_t, std::int64_t, std::optional<double> x4>>
    // [/per-author]
    return per_author;
}
const docs::sql_example per_author_sql{"per-author", [](orm::connection& conn) { per_author_of(conn); }};

std::vector<AuthorStats> stats_of(orm::connection& conn) {
    // [into]
    std::vector<AuthorStats> stats = conn.select<Book>()
        .columns(col(&Book::author_id), orm::count(), orm::sum(col(&Book::price)))
        .group_by(col(&Book::author_id)).into<AuthorStats>().all();
    // [/into]
    return stats;
}
const docs::sql_example into_sql{"into", [](orm::connection& conn) { stats_of(conn); }};

struct expression_rows {
    std::vector<std::tuple<std::int64_t, double, std::int64_t, double, std::int64_t, std::int64_t, double>> arithmetic;
    std::vector<std::tuple<double, double, std::optional<orm::decimal>, std::int64_t>> numbers;
    std::vector<std::tuple<std::string, std::optional<std::string>, std::optional<std::string>, std::optional<std::string>,
                           std::optional<std::int64_t>, std::optional<std::string>, std::optional<std::string>>> text;
    std::vector<std::tuple<std::int64_t, std::int64_t, std::int64_t, std::int64_t, std::int64_t, std::int64_t>> dates;
    std::vector<std::tuple<std::string, std::optional<std::int64_t>, std::int64_t, double, std::string, orm::decimal>> cases;
    std::vector<std::tuple<std::int64_t, std::int64_t>> functions;
    std::vector<Track> predicates;
};
expression_rows expressions(orm::connection& conn) {
    // [expressions]
    auto arithmetic = conn.select<Track>()
        .columns(col(&Track::milliseconds) + 1, col(&Track::rating) - 0.5, col(&Track::milliseconds) * 2, col(&Track::rating) / 2,
                 orm::int_div(col(&Track::milliseconds), 1000), col(&Track::milliseconds) % 1000, -col(&Track::rating))
        .all();
    auto numbers = conn.select<Track>()
        .columns(orm::round(col(&Track::rating), 1), orm::abs(col(&Track::rating) - 3.0), orm::avg(col(&Track::milliseconds)),
                 orm::count_distinct(col(&Track::album_id)))
        .all();
    auto text = conn.select<Sale>()
        .columns(orm::coalesce(col(&Sale::note), "none"), orm::nullif(col(&Sale::note), ""), orm::lower(orm::trim(col(&Sale::note))),
                 orm::upper(orm::ltrim(orm::rtrim(col(&Sale::note)))), orm::char_length(col(&Sale::note)),
                 orm::substr(col(&Sale::note), 2, 3), orm::concat(col(&Sale::note), "!"))
        .all();
    auto dates = conn.select<Sale>()
        .columns(orm::year(col(&Sale::issued)), orm::month(col(&Sale::issued)), orm::day(col(&Sale::issued)),
                 orm::hour(col(&Sale::issued)), orm::minute(col(&Sale::issued)), orm::second(col(&Sale::issued)))
        .where(col(&Sale::issued) < orm::current_timestamp())
        .all();
    auto cases = conn.select<Track>()
        .columns(orm::case_when(col(&Track::milliseconds) > 300000, "long").when(col(&Track::milliseconds) > 60000, "mid").otherwise("short"),
                 orm::case_when(col(&Track::rating) >= 4.0, std::int64_t{1}).end(),
                 orm::cast<std::int64_t>(col(&Track::rating)), orm::cast<double>(col(&Track::milliseconds)),
                 orm::cast<std::string>(col(&Track::id)), orm::cast<orm::decimal>(col(&Track::rating), orm::precision(6, 2)))
        .all();
    auto functions = conn.select<Track>()
        .columns(orm::func<std::int64_t>("instr", col(&Track::name), "o"), orm::raw_sql<std::int64_t>("(? + ?) * 2", col(&Track::id), 5))
        .all();
    auto predicates = conn.select<Track>()
        .where(col(&Track::id).not_in({7, 8}) && col(&Track::name).not_like("x%") && col(&Track::rating).between(1.0, 5.0) &&
               orm::not_exists(orm::select<Album>().correlate<Track>().where(col(&Album::id) == col(&Track::album_id) &&
                                                                              col(&Album::title) == "hidden")))
        .all();
    // [/expressions]
    return {arithmetic, numbers, text, dates, cases, functions, predicates};
}
const docs::sql_example expressions_sql{"expressions", [](orm::connection& conn) { expressions(conn); }};

std::vector<orm::decimal> amounts(orm::connection& conn) {
    // [decimals]
    std::vector<orm::decimal> amounts = conn.select<Ledger>()
        .columns(col(&Ledger::amount))
        .where(col(&Ledger::amount) > orm::decimal("9.995") && col(&Ledger::amount) < 5.5)
        .all();
    // [/decimals]
    return amounts;
}
const docs::sql_example decimals_sql{"decimals", [](orm::connection& conn) { amounts(conn); }};

auto joined(orm::connection& conn) {
    // [joins]
    std::vector<Book> adas = conn.select<Book>().join<Author>().where(col(&Author::name) == "Ada").all();
    auto rows = conn.select<Book>().join<Author>().add_entity<Author>().where(col(&Author::name) == "Ada").all();
    for (const auto& [book, author] : rows)             // std::vector<std::tuple<Book, Author>>
        std::cout << book.title << " by " << author.name << '\n';
    // [/joins]
    return std::pair{adas, rows};
}
const docs::sql_example joins_sql{"joins", [](orm::connection& conn) { joined(conn); }};

auto left_joined(orm::connection& conn) {
    // [left-join]
    auto rows = conn.select<Author>()
                    .left_join<Book>(col(&Book::author_id) == col(&Author::id) && col(&Book::price) > 1.0)
                    .add_entity<std::optional<Book>>()
                    .all();
    // std::vector<std::tuple<Author, std::optional<Book>>>: an author without books gives std::nullopt
    // [/left-join]
    return rows;
}
const docs::sql_example left_join_sql{"left-join", [](orm::connection& conn) { left_joined(conn); }, {.from = "FROM"}};

auto managers(orm::connection& conn) {
    // [self-join]
    const auto manager = orm::alias<Employee>("manager");
    auto pairs = conn.select<Employee>()
                     .left_join(manager, col(&Employee::reports_to) == manager(&Employee::id))
                     .columns(col(&Employee::name), orm::nullable(manager(&Employee::name)))
                     .all();   // std::vector<std::tuple<std::string, std::optional<std::string>>>
    // [/self-join]
    return pairs;
}
const docs::sql_example self_join_sql{"self-join", [](orm::connection& conn) { managers(conn); }};

std::vector<Sale> shipped_elsewhere(orm::connection& conn) {
    // [two-aliases]
    const auto billing = orm::alias<Address, struct billing_tag>("billing");
    const auto shipping = orm::alias<Address, struct shipping_tag>("shipping");
    auto sales = conn.select<Sale>()
                     .join(billing, col(&Sale::billing_address_id) == billing(&Address::id))
                     .join(shipping, col(&Sale::shipping_address_id) == shipping(&Address::id))
                     .where(billing(&Address::city) != shipping(&Address::city))
                     .all();
    // [/two-aliases]
    return sales;
}
const docs::sql_example two_aliases_sql{"two-aliases", [](orm::connection& conn) { shipped_elsewhere(conn); }, {.from = "FROM"}};

auto subqueries(orm::connection& conn) {
    // [subqueries]
    auto rich = orm::select<Book>().columns(col(&Book::author_id)).where(col(&Book::price) > 100.0);
    auto authors = conn.select<Author>().where(col(&Author::id).in(rich)).all();
    auto dearer = conn.select<Book>().where(col(&Book::price) > orm::select<Book>().columns(orm::avg(col(&Book::price))).as_scalar()).all();
    // [/subqueries]
    return std::pair{authors, dearer};
}
const docs::sql_example subqueries_sql{"subqueries", [](orm::connection& conn) { subqueries(conn); }, {.from = "WHERE"}};

std::vector<Author> without_books(orm::connection& conn) {
    // [correlated]
    auto idle = conn.select<Author>().where(
        !orm::exists(orm::select<Book>().correlate<Author>().where(col(&Book::author_id) == col(&Author::id)))).all();
    // [/correlated]
    return idle;
}
const docs::sql_example correlated_sql{"correlated", [](orm::connection& conn) { without_books(conn); }, {.from = "WHERE"}};

std::vector<Track> longer_than_their_album(orm::connection& conn) {
    // [same-table-subquery]
    const auto inner = orm::alias<Track>("inner");
    auto album_average = orm::select(inner)
                             .correlate<Track>()
                             .columns(orm::avg(inner(&Track::milliseconds)))
                             .where(inner(&Track::album_id) == col(&Track::album_id));
    auto longer = conn.select<Track>().where(col(&Track::milliseconds) > album_average.as_scalar()).all();
    // [/same-table-subquery]
    return longer;
}
const docs::sql_example same_table_sql{"same-table-subquery", [](orm::connection& conn) { longer_than_their_album(conn); }, {.from = "FROM"}};

std::pair<std::uint64_t, std::uint64_t> bulk(orm::connection& conn) {
    // [bulk]
    std::uint64_t n = conn.execute(orm::update<Book>()
        .set(&Book::price, col(&Book::price) * 1.1)      // an expression over Book
        .set(&Book::title, "x")                          // or a value of the member's type
        .where(col(&Book::author_id) == 3));
    conn.execute(orm::remove<Book>().where(col(&Book::price) == 0.0));
    // [/bulk]
    return {n, conn.affected_rows()};
}
const docs::sql_example bulk_sql{"bulk", [](orm::connection& conn) { bulk(conn); }};

std::vector<Author> inserted_many(orm::connection& conn) {
    // [insert-many]
    std::vector<Author> authors{{.name = "Ada"}, {.name = "Bob", .email = "b@x"}, {.name = "Cy"}};
    conn.insert_many(authors);   // authors[i].id set
    // [/insert-many]
    return authors;
}
const docs::sql_example insert_many_sql{"insert-many", [](orm::connection& conn) { inserted_many(conn); }, {.transactions = true}};

void upserts(orm::connection& conn, const Book& book) {
    // [upsert]
    conn.upsert(book, orm::columns_of(&Book::price));                                  // key: the primary key
    conn.upsert(book, orm::columns_of(&Book::title, &Book::price), orm::columns_of(&Book::isbn));
    conn.upsert(book, orm::column_list{});                                             // insert or leave alone
    // [/upsert]
}
const docs::sql_example upsert_sql{"upsert", [](orm::connection& conn) {
                                       upserts(conn, Book{.id = 1, .author_id = 1, .title = "Notes", .price = 9.5, .isbn = "111"});
                                   }};

auto raw(orm::connection& conn) {
    // [raw-query]
    auto cheap = conn.query<std::tuple<std::string, double>>("SELECT title, price FROM books WHERE price < ?", 10.0);
    auto same = conn.query<TitlePrice>("SELECT price, title FROM books WHERE price < ?", 10.0);
    // [/raw-query]
    return std::pair{cheap, same};
}
const docs::sql_example raw_sql{"raw-query", [](orm::connection& conn) { raw(conn); }};

struct to_sql_results {
    orm::compiled_sql shown;
    std::string text;
    std::vector<Book> rows;
};
to_sql_results shown_sql(orm::connection& conn) {
    // [to-sql]
    auto q = conn.select<Book>().where(col(&Book::price) > 2.5);
    orm::compiled_sql shown = q.to_sql();   // q.all() runs shown.text with shown.params (2.5)
    std::string text = orm::remove<Book>().to_sql(*orm::make_sqlite_dialect()).text;   // DELETE FROM "books"
    // [/to-sql]
    return {shown, text, q.all()};
}
// What q.all() runs, per dialect: the text to_sql() shows.
const docs::sql_example to_sql_sql{"to-sql", [](orm::connection& conn) { shown_sql(conn); }};

struct locked_rows {
    std::vector<Account> accounts, next, shared;
};
locked_rows locking(orm::connection& conn) {
    // [locking]
    auto tx = conn.begin({.write = true});   // SQLite: BEGIN IMMEDIATE takes the database's write lock
    auto accounts = conn.select<Account>().where(col(&Account::balance) > 0).lock(orm::for_update).all();
    auto next = conn.select<Account>().order_by(orm::asc(&Account::id)).limit(1).lock(orm::for_update.skip_locked()).all();
    auto shared = conn.select<Account>().lock(orm::for_share.nowait()).all();
    tx.commit();
    // [/locking]
    return {accounts, next, shared};
}
const docs::sql_example locking_sql{"locking", [](orm::connection& conn) { locking(conn); }, {.transactions = true}};

/// Authors Ada (1, with an email), Bob (2), Cy (3) and Dee (4, no books); five books.
orm::engine library() {
    auto db = orm_test::fresh_engine<Author, Book>();
    orm_test::seed(db, Author{.name = "Ada", .email = "ada@example.org"}, Author{.name = "Bob"}, Author{.name = "Cy"}, Author{.name = "Dee"},
                   Book{.author_id = 1, .title = "Notes", .price = 9.5, .isbn = "111"}, Book{.author_id = 1, .title = "Numbers", .price = 4.0},
                   Book{.author_id = 2, .title = "C Book", .price = 35.0, .isbn = "222"}, Book{.author_id = 2, .title = "Compilers", .price = 6.0},
                   Book{.author_id = 3, .title = "Cheap", .price = 2.5});
    return db;
}

std::vector<std::string> titles_of(const std::vector<Book>& books) {
    std::vector<std::string> out;
    for (const Book& b : books) out.push_back(b.title);
    return out;
}
using strings = std::vector<std::string>;

}  // namespace

TEST_CASE("docs.queries: conditions, combined and built at run time", "[sqlite][docs]") {
    auto db = library();
    auto conn = db.connect();
    CHECK(titles_of(combined(conn)) == strings{"Notes", "C Book", "Compilers", "Cheap"});
    CHECK(titles_of(filtered(conn, 6.0, std::nullopt, "C")) == strings{"Compilers", "Cheap"});
    CHECK(titles_of(filtered(conn, std::nullopt, 1, "")) == strings{"Notes", "Numbers"});
    CHECK(filtered(conn, std::nullopt, std::nullopt, "").size() == 5);
}

TEST_CASE("docs.queries: ordering, limits, DISTINCT", "[sqlite][docs]") {
    auto db = library();
    auto conn = db.connect();
    CHECK(ordered(conn).empty());  // three books over 5.00: offset 20 skips them all
    const auto more = ordered_more(conn);
    CHECK(titles_of(more.by_expression).front() == "C Book");
    CHECK(more.skipped.empty());
    CHECK(more.authors.size() == 3);
}

TEST_CASE("docs.queries: all, first, one, one_or_none, count and exists", "[sqlite][docs]") {
    auto db = library();
    auto conn = db.connect();
    const auto got = running(conn);
    CHECK(got.rows.size() == 1);
    CHECK(got.first->id == 1);
    CHECK(got.one.email == "ada@example.org");
    CHECK(got.maybe->name == "Ada");
    CHECK(got.n == 1);
    CHECK(got.any);
}

TEST_CASE("docs.queries: a query runs on any connection or session", "[sqlite][docs]") {
    auto db = library();
    auto conn = db.connect();
    auto other = db.connect();
    orm::session s(db);
    const auto got = anywhere(conn, s, other);
    CHECK(titles_of(got.rows) == strings{"Numbers", "Cheap"});
    REQUIRE(got.objects.size() == 2);
    CHECK(got.objects[0] == s.get<Book>(2));
    CHECK(got.n == 2);
}

TEST_CASE("docs.queries: count() of DISTINCT, LIMIT, GROUP BY and a join", "[sqlite][docs]") {
    auto db = library();
    auto conn = db.connect();
    const auto got = counted(conn);
    CHECK(got.authors == 3);
    CHECK(got.at_most_5 == 5);
    CHECK(got.groups == 3);
    CHECK(got.joined == 5);
}

TEST_CASE("docs.queries: a range-for buffers, stream() reads the cursor", "[sqlite][docs]") {
    auto db = library();
    {
        orm::session s(db);
        auto conn = db.connect();
        buffered(s, conn);
        CHECK(s.size() == 5 + 3);  // the books and their three authors
    }
    orm::session s(db);
    auto conn = db.connect();
    CHECK(streamed(s, conn) == Approx(57.0));
    s.commit();
    CHECK(conn.get<Book>(std::int64_t{3})->price == Approx(38.5));
}

TEST_CASE("docs.queries: projections, aggregates, GROUP BY, HAVING and into<>()", "[sqlite][docs]") {
    auto db = library();
    auto conn = db.connect();
    const auto [rows, titles] = projected(conn);
    CHECK(rows.size() == 5);
    CHECK(std::get<1>(rows[0]) == 9.5);
    CHECK(titles.size() == 5);
    CHECK(aggregated(conn) == std::tuple{std::int64_t{0}, std::int64_t{0}, std::optional<double>{}});
    const auto per_author = per_author_of(conn);
    REQUIRE(per_author.size() == 2);  // Ada and Bob have more than one book
    for (const auto& [author, books, sum, avg, min, max] : per_author) {
        CHECK(books == 2);
        if (author == 2) CHECK((min == 6.0 && max == 35.0 && sum == 41.0 && avg == 20.5));
    }
    const auto stats = stats_of(conn);
    REQUIRE(stats.size() == 3);
    for (const AuthorStats& a : stats)
        if (a.author_id == 2) CHECK((a.books == 2 && a.total == 41.0));
}

TEST_CASE("docs.queries: the expression language", "[sqlite][docs]") {
    auto db = orm_test::fresh_engine<Album, Track, Address, Sale>();
    using namespace std::chrono;
    orm_test::seed(db, Album{.title = "A"}, Track{.album_id = 1, .name = "Lo", .milliseconds = 361000, .rating = 4.25},
                   Address{.city = "Oslo"}, Sale{.billing_address_id = 1, .shipping_address_id = 1,
                                                 .issued = sys_days{2024y / March / 5} + 13h + 14min + 15s, .note = "  Gift "});
    auto conn = db.connect();
    const auto got = expressions(conn);
    CHECK(got.arithmetic == std::vector{std::tuple{std::int64_t{361001}, 3.75, std::int64_t{722000}, 2.125, std::int64_t{361}, std::int64_t{0}, -4.25}});
    REQUIRE(got.numbers.size() == 1);
    CHECK(std::get<2>(got.numbers[0]) == orm::decimal("361000"));
    REQUIRE(got.text.size() == 1);
    CHECK(std::get<0>(got.text[0]) == "  Gift ");
    CHECK(std::get<2>(got.text[0]) == "gift");
    CHECK(std::get<3>(got.text[0]) == "GIFT");
    CHECK(std::get<4>(got.text[0]) == 7);
    CHECK(std::get<6>(got.text[0]) == "  Gift !");
    CHECK(got.dates == std::vector{std::tuple{std::int64_t{2024}, std::int64_t{3}, std::int64_t{5}, std::int64_t{13}, std::int64_t{14}, std::int64_t{15}}});
    REQUIRE(got.cases.size() == 1);
    CHECK(std::get<0>(got.cases[0]) == "long");
    CHECK(std::get<1>(got.cases[0]) == 1);
    CHECK(std::get<2>(got.cases[0]) == 4);
    CHECK(std::get<4>(got.cases[0]) == "1");
    CHECK(std::get<5>(got.cases[0]) == orm::decimal("4.25"));
    CHECK(got.functions == std::vector{std::tuple{std::int64_t{2}, std::int64_t{12}}});
    CHECK(got.predicates.size() == 1);
}

TEST_CASE("docs.queries: exact decimals", "[sqlite][docs]") {
    auto db = orm_test::fresh_engine<Ledger>();
    orm_test::seed(db, Ledger{.kind = "a", .amount = orm::decimal("10.00")}, Ledger{.kind = "b", .amount = orm::decimal("9.99")});
    auto conn = db.connect();
    CHECK(amounts(conn).empty());  // > 9.995 and < 5.5: nothing
    CHECK(conn.select<Ledger>().where(col(&Ledger::amount) > orm::decimal("9.995")).count() == 1);
}

TEST_CASE("docs.queries: joins, left joins and aliases", "[sqlite][docs]") {
    auto db = library();
    auto conn = db.connect();
    const auto [adas, rows] = joined(conn);
    CHECK(titles_of(adas) == strings{"Notes", "Numbers"});
    REQUIRE(rows.size() == 2);
    CHECK(std::get<1>(rows[0]).name == "Ada");
    const auto left = left_joined(conn);
    REQUIRE(left.size() == 6);  // Ada 2, Bob 2, Cy 1, Dee none
    for (const auto& [author, book] : left) CHECK(book.has_value() == (author.name != "Dee"));

    auto store = orm_test::fresh_engine<Employee, Address, Sale>();
    orm_test::seed(store, Employee{.id = 1, .name = "Boss"}, Employee{.id = 2, .name = "Ann", .reports_to = 1}, Address{.city = "Oslo"},
                   Address{.city = "Rome"}, Sale{.billing_address_id = 1, .shipping_address_id = 2}, Sale{.billing_address_id = 1, .shipping_address_id = 1});
    auto sc = store.connect();
    using pair = std::tuple<std::string, std::optional<std::string>>;
    CHECK(managers(sc) == std::vector{pair{"Boss", std::nullopt}, pair{"Ann", "Boss"}});
    const auto sales = shipped_elsewhere(sc);
    REQUIRE(sales.size() == 1);
    CHECK(sales[0].shipping_address_id == 2);
}

TEST_CASE("docs.queries: IN, scalar, correlated and same-table subqueries", "[sqlite][docs]") {
    auto db = library();
    auto conn = db.connect();
    const auto [authors, dearer] = subqueries(conn);
    CHECK(authors.empty());  // no book over 100
    CHECK(titles_of(dearer) == strings{"C Book"});  // above the average, 11.4
    const auto idle = without_books(conn);
    REQUIRE(idle.size() == 1);
    CHECK(idle[0].name == "Dee");

    auto music = orm_test::fresh_engine<Album, Track>();
    orm_test::seed(music, Album{.title = "A"}, Album{.title = "B"}, Track{.album_id = 1, .name = "a1", .milliseconds = 100},
                   Track{.album_id = 1, .name = "a2", .milliseconds = 300}, Track{.album_id = 2, .name = "b1", .milliseconds = 50});
    auto mc = music.connect();
    const auto longer = longer_than_their_album(mc);
    REQUIRE(longer.size() == 1);
    CHECK(longer[0].name == "a2");
}

TEST_CASE("docs.queries: bulk UPDATE and DELETE, insert_many and upsert", "[sqlite][docs]") {
    auto db = library();
    auto conn = db.connect();
    const auto [updated, deleted] = bulk(conn);
    CHECK(updated == 1);  // Cy's one book
    CHECK(deleted == 0);
    CHECK(conn.get<Book>(std::int64_t{5})->title == "x");

    auto fresh = orm_test::fresh_engine<Author, Book>();
    auto fc = fresh.connect();
    const auto authors = inserted_many(fc);
    CHECK(authors[0].id == 1);
    CHECK(authors[2].id == 3);
    CHECK(fc.get<Author>(std::int64_t{2})->email == "b@x");

    Book book{.id = 1, .author_id = 1, .title = "Notes", .price = 9.5, .isbn = "111"};
    upserts(conn, book);  // book 1 exists: its price is set, then title and price by isbn, then nothing
    CHECK(conn.get<Book>(std::int64_t{1})->price == 9.5);
    book = {.id = 9, .author_id = 1, .title = "New", .price = 1.0, .isbn = "999"};
    upserts(conn, book);  // inserted by the first upsert, left alone by the others
    CHECK(conn.get<Book>(std::int64_t{9})->title == "New");
}

TEST_CASE("docs.queries: raw SQL reads tuples by position and structs by column name", "[sqlite][docs]") {
    auto db = library();
    auto conn = db.connect();
    const auto [cheap, same] = raw(conn);
    REQUIRE(cheap.size() == 4);
    REQUIRE(same.size() == 4);
    CHECK(std::get<0>(cheap[0]) == same[0].title);
    CHECK(std::get<1>(cheap[0]) == same[0].price);
}

TEST_CASE("docs.queries: to_sql() is what the query runs", "[sqlite][docs]") {
    std::vector<std::string> ran;
    auto db = orm_test::fresh_engine<Author, Book>({.on_sql = [&](const orm::sql_event& e) { ran.emplace_back(e.sql); }});
    auto conn = db.connect();
    const auto got = shown_sql(conn);
    CHECK(got.text == "DELETE FROM \"books\"");
    CHECK(got.shown.params == std::vector<orm::value>{2.5});
    CHECK(ran.back() == got.shown.text);
}

TEST_CASE("docs.queries: locking reads", "[sqlite][docs]") {
    auto db = orm_test::fresh_engine<Account>();
    orm_test::seed(db, Account{.balance = 5}, Account{.balance = 0});
    auto conn = db.connect();
    const auto got = locking(conn);
    CHECK(got.accounts.size() == 1);
    REQUIRE(got.next.size() == 1);
    CHECK(got.next[0].id == 1);
    CHECK(got.shared.size() == 2);
}
