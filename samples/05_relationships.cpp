// 05 — relationships on SQLite: declare them, navigate (lazy loading, then
// selectin loading: one statement per level), link new objects in one flush,
// unlink (delete-orphan), and see what each step costs.
//
//   ./05_relationships [path-to-database-file]     (default: relationships.db)
#include <orm/orm.hpp>
#include <orm/testing.hpp>

#include <cstdio>
#include <iostream>

struct Book;
struct Review;

struct Author {
    std::int64_t id = 0;
    std::string name;
    orm::collection<Book> books;     // the many side: not a column
};

struct Book {
    std::int64_t id = 0;
    std::int64_t author_id = 0;      // the foreign key the relationship writes
    std::string title;
    orm::to_one<Author> author;      // the one side: reads like a pointer
    orm::collection<Review> reviews;
};

struct Review {
    std::int64_t id = 0;
    std::int64_t book_id = 0;
    std::int32_t stars = 0;
    orm::to_one<Book> book;
};

template <>
struct orm::model<Author> {
    static constexpr auto relationships =
        orm::relationships(orm::one_to_many(&Author::books, &Book::author_id, orm::back_populates(&Book::author)));
};
template <>
struct orm::model<Book> {
    static constexpr auto relationships = orm::relationships(
        orm::many_to_one(&Book::author, &Book::author_id, orm::back_populates(&Author::books)),
        orm::one_to_many(&Book::reviews, &Review::book_id, orm::back_populates(&Review::book), orm::cascade::delete_orphan));
};
template <>
struct orm::model<Review> {
    // raise: a review's book must have been loaded already (a lazy load here would be a bug)
    static constexpr auto relationships =
        orm::relationships(orm::many_to_one(&Review::book, &Review::book_id, orm::back_populates(&Book::reviews), orm::load::raise));
};

int main(int argc, char** argv) {
    const std::string file = argc > 1 ? argv[1] : "relationships.db";
    std::remove(file.c_str());
    auto engine = orm::create_engine("sqlite:///" + file);
    orm::create_all<Author, Book, Review>(engine);
    orm::testing::statement_recorder sql(engine);

    {  // Linking: one flush writes every generated key into the rows that point to it.
        orm::session s(engine);
        Author& ada = s.add(Author{.name = "Ada"});
        Book& engines = s.add(Book{.title = "Engines", .author = &ada});
        Book& notes = s.add(Book{.title = "Notes"});
        ada.books.push_back(notes);  // the other side: notes.author is &ada now
        (void)s.add(Review{.stars = 5, .book = &engines});
        (void)s.add(Review{.stars = 3, .book = &engines});
        sql.clear();
        s.commit();
        std::cout << "commit ran " << sql.count() << " statements; Engines has author_id " << engines.author_id << '\n';
        for (const std::string& statement : sql.statements()) std::cout << "  " << statement << '\n';
    }

    {  // Navigating: each collection loads on first access (1 + N statements).
        orm::session s(engine);
        sql.clear();
        for (Author* a : s.query<Author>())
            for (Book* b : a->books)
                std::cout << a->name << " wrote " << b->title << " (" << b->reviews.size() << " reviews, author known: "
                          << b->author->name << ")\n";
        std::cout << "navigation ran " << sql.count() << " statements\n";

        Book* engines = s.get<Book>(std::int64_t{1});
        Review* worst = engines->reviews[1];
        std::cout << "the review's book is " << worst->book->title << " (loaded from the other side, no SQL)\n";
        engines->reviews.remove(*worst);  // delete-orphan: the flush deletes it
        s.commit();
    }

    {  // Selectin: the same navigation, loaded with the query: one statement per level, whatever N.
        orm::session s(engine);
        (void)s.conn();
        sql.clear();
        const std::vector<Author*> authors =
            s.query<Author>().options(orm::selectin_load(&Author::books, &Book::reviews)).all();
        std::size_t reviews = 0;
        for (Author* a : authors)
            for (Book* b : a->books) reviews += b->reviews.size();  // no SQL: loaded
        std::cout << "selectin: " << reviews << " reviews in " << sql.count() << " statements\n";
        for (const std::string& statement : sql.statements()) std::cout << "  " << statement << '\n';
    }

    {  // raise: touching Review::book before it is loaded is an error, not a hidden SELECT.
        orm::session s(engine);
        Review* r = *s.query<Review>().first();
        try {
            (void)r->book->title;
        } catch (const orm::not_loaded_error& e) {
            std::cout << e.what() << '\n';
        }
    }
    orm::session s(engine);
    std::cout << "reviews left: " << s.query<Review>().all().size() << '\n';
}
