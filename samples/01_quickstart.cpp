// 01 — quickstart: plain structs in, tables out, on SQLite (no server needed).
//
//   ./01_quickstart [path-to-database-file]     (default: quickstart.db)
//
// docs/getting_started.md shows the lines between the two markers.
// [quickstart]
#include <orm/orm.hpp>

#include <chrono>
#include <iostream>

struct Author {                        // a plain aggregate: no base class, no macro
    std::int64_t id = 0;               // a field named `id` is the auto-increment primary key
    std::string name;
    std::optional<std::string> email;  // optional = NULL-able
};

struct Book {
    std::int64_t id = 0;
    std::int64_t author_id = 0;
    std::string title;
    double price = 0;
    std::chrono::sys_seconds published{};
};

// Declare only what names and types cannot say.
template <>
struct orm::model<Book> {
    static constexpr auto table = "books";
    static constexpr auto columns = orm::columns(
        orm::column(&Book::title, orm::length(200), orm::index),
        orm::foreign_key(&Book::author_id, &Author::id, orm::on_delete::cascade));
};

int main(int argc, char** argv) {
    using namespace std::chrono;
    const std::string file = argc > 1 ? argv[1] : "quickstart.db";
    try {
        auto engine = orm::create_engine("sqlite:///" + file);
        orm::drop_all<Author, Book>(engine);      // start afresh each run
        orm::create_all<Author, Book>(engine);    // CREATE TABLE IF NOT EXISTS ..., parents first

        auto conn = engine.connect();
        auto tx = conn.begin();
        Author ada{.name = "Ada Lovelace", .email = "ada@example.org"};
        conn.insert(ada);                         // INSERT; ada.id is now set
        Book notes{.author_id = ada.id, .title = "Notes on the Analytical Engine", .price = 9.5,
                   .published = sys_days{1843y / September / 1}};
        Book sketch{.author_id = ada.id, .title = "Sketch of the Engine", .price = 4.25};
        conn.insert(notes);
        conn.insert(sketch);
        tx.commit();

        std::cout << "author #" << ada.id << ": " << conn.get<Author>(ada.id)->name << '\n';
        for (const Book& b : conn.all<Book>())
            std::cout << "  book #" << b.id << ": " << b.title << " (" << b.price << ")\n";

        sketch.price = 5.0;
        conn.update(sketch);                      // UPDATE books SET ... WHERE id = ?
        auto cheap = conn.query<std::tuple<std::string, double>>(
            "SELECT title, price FROM books WHERE price < ? ORDER BY price", 6.0);
        for (const auto& [title, price] : cheap) std::cout << "under 6: " << title << " at " << price << '\n';
    } catch (const orm::error& e) {
        std::cerr << "error: " << e.what() << '\n';
        return 1;
    }
}
// [/quickstart]
