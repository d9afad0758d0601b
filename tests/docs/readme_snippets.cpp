// README.md's code: the example program (ctest sqlite.docs.readme runs it).
#if defined(ORM_DOCS_PROGRAM) && ORM_DOCS_PROGRAM == 1
// [readme-example]
#include <orm/orm.hpp>

#include <iostream>

struct Author {                       // no base class, no macro
    std::int64_t id = 0;              // `id` is the auto-increment primary key
    std::string name;
    std::optional<std::string> email; // optional = NULL-able
};

struct Book { std::int64_t id = 0; std::int64_t author_id = 0; std::string title; double price = 0; };

template <> struct orm::model<Book> {
    static constexpr auto table = "books";
    static constexpr auto columns = orm::columns(
        orm::column(&Book::title, orm::length(200), orm::index),
        orm::foreign_key(&Book::author_id, &Author::id, orm::on_delete::cascade));
};

int main() {
    auto engine = orm::create_engine("sqlite:///shop.db");   // or "mysql://user:pw@127.0.0.1:3306/shop"
    orm::create_all<Author, Book>(engine);                   // CREATE TABLE IF NOT EXISTS ..., parents first

    auto conn = engine.connect();                            // from the engine's pool
    auto tx = conn.begin();
    Author ada{.name = "Ada"};
    conn.insert(ada);                                        // ada.id is now set
    Book notes{.author_id = ada.id, .title = "Notes", .price = 9.5};
    conn.insert(notes);
    tx.commit();                                             // without it, the transaction rolls back

    std::optional<Author> loaded = conn.get<Author>(ada.id);
    auto cheap = conn.query<std::tuple<std::string, double>>(
        "SELECT title, price FROM books WHERE price < ?", 10.0);  // values are always bound
    std::cout << std::get<0>(cheap.at(0)) << " by " << loaded->name << '\n';  // Notes by Ada
}
// [/readme-example]
#endif
