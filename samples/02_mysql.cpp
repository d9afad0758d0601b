// 02 — the same models on MySQL / MariaDB. The URL comes from the environment:
//
//   ORM_MYSQL_URL='mysql://user:password@127.0.0.1:3306/shop' ./02_mysql
#include <orm/orm.hpp>

#include <cstdlib>
#include <iostream>

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

int main() {
    const char* url = std::getenv("ORM_MYSQL_URL");
    if (!url) {
        std::cerr << "set ORM_MYSQL_URL, e.g. mysql://user:password@127.0.0.1:3306/shop\n";
        return 2;
    }
    try {
        auto engine = orm::create_engine(url, {.echo = true});   // log every statement to stderr
        orm::create_all<Author, Book>(engine);

        auto conn = engine.connect();
        auto tx = conn.begin();
        Author ada{.name = "Ada"};
        conn.insert(ada);
        Book book{.author_id = ada.id, .title = "Notes", .price = 9.5};
        conn.insert(book);
        tx.commit();

        auto count = conn.execute("SELECT COUNT(*) FROM books WHERE author_id = ?", ada.id).scalar<std::int64_t>();
        std::cout << ada.name << " has " << count << " book(s)\n";

        try {
            Author twin{.id = ada.id, .name = "Twin"};
            conn.insert(twin);
        } catch (const orm::integrity_error& e) {
            std::cout << "duplicate key refused: MySQL error " << e.native_code() << " (SQLSTATE " << e.sqlstate() << ")\n";
        }
    } catch (const orm::error& e) {
        std::cerr << "error: " << e.what() << '\n';
        return 1;
    }
}
