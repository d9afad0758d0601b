// 04 — typed queries on SQLite: filters, run-time predicates, projections,
// joins, subqueries, a bulk UPDATE, and the SQL a query runs.
//
//   ./04_queries [path-to-database-file]     (default: queries.db)
#include <orm/orm.hpp>

#include <iomanip>
#include <iostream>

using orm::col;

struct Author {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::string> email;
};

struct Book {
    std::int64_t id = 0;
    std::int64_t author_id = 0;
    std::string title;
    double price = 0;
};

template <>
struct orm::model<Book> {
    static constexpr auto table = "books";
    static constexpr auto columns = orm::columns(
        orm::column(&Book::title, orm::length(200), orm::index),
        orm::foreign_key(&Book::author_id, &Author::id, orm::on_delete::cascade));
};

// A projection target: at namespace scope, like every reflected type.
struct AuthorTotals {
    std::string author;
    std::int64_t books = 0;
    std::optional<double> total;  // SUM is NULL over no rows
};

// A filter from optional inputs: each one given adds a condition.
std::vector<Book> find_books(orm::connection& conn, std::optional<double> max_price, const std::string& title_prefix,
                             std::optional<std::int64_t> author_id) {
    orm::predicate<Book> filter;  // empty: matches every row
    if (max_price) filter = filter && col(&Book::price) <= *max_price;
    if (!title_prefix.empty()) filter = filter && col(&Book::title).like(title_prefix + "%");
    if (author_id) filter = filter && col(&Book::author_id) == *author_id;
    return conn.select<Book>().where(filter).order_by(orm::asc(&Book::title)).all();
}

int main(int argc, char** argv) {
    const std::string file = argc > 1 ? argv[1] : "queries.db";
    try {
        auto engine = orm::create_engine("sqlite:///" + file);
        orm::drop_all<Author, Book>(engine);  // start afresh each run
        orm::create_all<Author, Book>(engine);
        auto conn = engine.connect();
        std::cout << std::fixed << std::setprecision(2);

        // Seed: multi-row INSERTs; the generated keys are written back.
        {
            auto tx = conn.begin();
            std::vector<Author> authors{{.name = "Ada", .email = "ada@example.org"}, {.name = "Brian"}, {.name = "Grace"}};
            conn.insert_many(authors);
            std::vector<Book> books{
                {.author_id = authors[0].id, .title = "Notes on the Engine", .price = 12.5},
                {.author_id = authors[0].id, .title = "Numbers", .price = 4.0},
                {.author_id = authors[1].id, .title = "The C Language", .price = 35.0},
                {.author_id = authors[1].id, .title = "Unix", .price = 18.0},
                {.author_id = authors[1].id, .title = "Awk", .price = 9.0},
            };
            conn.insert_many(books);
            tx.commit();
            std::cout << "seeded " << authors.size() << " authors and " << books.size() << " books (last id " << books.back().id
                      << ")\n";
        }

        // A filtered, ordered query, streamed row by row.
        std::cout << "\nbooks over 5.00, dearest first:\n";
        for (const Book& b : conn.select<Book>().where(col(&Book::price) > 5.0).order_by(orm::desc(&Book::price), orm::asc(&Book::id)))
            std::cout << "  " << b.title << "  " << b.price << '\n';

        // A predicate built at run time from optional inputs.
        std::cout << "\nbooks up to 15.00 whose title starts with N:\n";
        for (const Book& b : find_books(conn, 15.0, "N", std::nullopt)) std::cout << "  " << b.title << '\n';
        std::cout << "every book (no input given): " << find_books(conn, std::nullopt, "", std::nullopt).size() << '\n';

        // A projection with GROUP BY over a join, read into a struct by position.
        std::cout << "\nper author (LEFT JOIN: Grace has no books):\n";
        auto totals = conn.select<Author>()
                          .left_join<Book>()
                          .columns(col(&Author::name), orm::count(col(&Book::id)), orm::sum(col(&Book::price)))
                          .group_by(col(&Author::id), col(&Author::name))
                          .order_by(orm::asc(&Author::name))
                          .into<AuthorTotals>()
                          .all();
        for (const AuthorTotals& t : totals) {
            std::cout << "  " << t.author << ": " << t.books << " books, total ";
            if (t.total) std::cout << *t.total << '\n';
            else std::cout << "NULL\n";
        }

        // A join on the declared foreign key filters; add_entity() puts the author in each row.
        std::cout << "\nBrian's books (JOIN):\n";
        for (const auto& [book, author] :
             conn.select<Book>().join<Author>().add_entity<Author>().where(col(&Author::name) == "Brian").order_by(orm::asc(&Book::id)).all())
            std::cout << "  " << book.title << " by " << author.name << '\n';

        // Subqueries: a scalar one in a comparison, and a correlated NOT EXISTS.
        auto average = orm::select<Book>().columns(orm::avg(col(&Book::price)));
        std::cout << "\nbooks above the average price: " << conn.select<Book>().where(col(&Book::price) > average.as_scalar()).count() << '\n';
        auto without_books = conn.select<Author>().where(
            !orm::exists(orm::select<Book>().correlate<Author>().where(col(&Book::author_id) == col(&Author::id))));
        for (const Author& a : without_books.all()) std::cout << "authors without books: " << a.name << '\n';

        // A bulk UPDATE without loading the rows: Ada's books get 10% dearer.
        auto adas = orm::select<Author>().columns(col(&Author::id)).where(col(&Author::name) == "Ada");
        const auto changed = conn.execute(orm::update<Book>().set(&Book::price, col(&Book::price) * 1.1).where(col(&Book::author_id).in(adas)));
        std::cout << "\nrepriced " << changed << " books; Numbers now costs "
                  << conn.select<Book>().columns(col(&Book::price)).where(col(&Book::title) == "Numbers").one() << '\n';

        // first / one / exists, and the SQL a query runs (for logs).
        auto dear = conn.select<Book>().where(col(&Book::price) > 30.0);
        std::cout << "dearest: " << dear.order_by(orm::desc(&Book::price)).first()->title
                  << "; any over 100? " << std::boolalpha << conn.select<Book>().where(col(&Book::price) > 100.0).exists() << '\n';
        const orm::compiled_sql shown = dear.to_sql();
        std::cout << "\nSQL: " << shown.text << "\nparameters:";
        for (const orm::value& v : shown.params) std::cout << ' ' << orm::to_display_string(v);
        std::cout << '\n';
    } catch (const orm::error& e) {
        std::cerr << "error: " << e.what() << '\n';
        return 1;
    }
    return 0;
}
