// 03 — the Session: a unit of work with an identity map, on SQLite.
//
//   ./03_session [path-to-database-file]     (default: session.db)
#include <orm/orm.hpp>

#include <iostream>

struct Author {                        // plain structs: the session tracks them, no setters needed
    std::int64_t id = 0;
    std::string name;
    std::optional<std::string> email;
};

struct Note {
    std::int64_t id = 0;
    std::int64_t author_id = 0;
    std::string text;
    std::int64_t version = 0;          // 1 after the INSERT, +1 at every UPDATE
};

template <>
struct orm::model<Note> {
    static constexpr auto table = "notes";
    static constexpr auto columns =
        orm::columns(orm::foreign_key(&Note::author_id, &Author::id, orm::on_delete::cascade));
    static constexpr auto version = &Note::version;   // optimistic concurrency
};

int main(int argc, char** argv) {
    const std::string file = argc > 1 ? argv[1] : "session.db";
    try {
        auto engine = orm::create_engine("sqlite:///" + file);
        orm::drop_all<Author, Note>(engine);      // start afresh each run
        orm::create_all<Author, Note>(engine);

        // Unit of work: add, flush, identity, change detection, commit.
        std::int64_t note_id = 0;
        {
            orm::session s(engine);
            Author& ada = s.add(Author{.name = "Ada"});  // the session's copy: keep the reference
            s.flush();                                   // BEGIN; INSERT ... RETURNING "id"
            Note& note = s.add(Note{.author_id = ada.id, .text = "first draft"});
            s.flush();
            note_id = note.id;
            std::cout << "inserted author #" << ada.id << " and note #" << note.id << " (version " << note.version
                      << ")\n";

            Author* same = s.get<Author>(ada.id);        // identity map: no SQL, the same object
            std::cout << "get returns the same object: " << std::boolalpha << (same == &ada) << '\n';

            same->email = "ada@example.org";             // just assign: the flush compares with a snapshot
            std::cout << "dirty objects before commit: " << s.dirty().size() << '\n';
            s.commit();                                  // UPDATE "author" SET "email" = ? WHERE "id" = ?; COMMIT
        }

        // Optimistic concurrency: two sessions read version 1, the second writer loses.
        {
            orm::session first(engine), second(engine);
            Note* mine = first.get<Note>(note_id);
            Note* theirs = second.get<Note>(note_id);
            second.commit();                             // ends its read transaction; `theirs` keeps its values
            mine->text = "edited in the first session";
            first.commit();                              // UPDATE ... WHERE ("id" = ?) AND ("version" = ?): 1 -> 2
            theirs->text = "edited in the second session";
            try {
                second.commit();                         // matches no row: nothing is written
            } catch (const orm::stale_data_error& e) {
                std::cout << "second writer refused: " << e.what() << '\n';
                second.rollback();                       // `theirs` is expired: the next get reloads it
                std::cout << "reloaded: \"" << second.get<Note>(note_id)->text << "\" (version "
                          << theirs->version << ")\n";
                second.commit();
            }
        }

        // A savepoint: rolling it back undoes only the work done inside it.
        {
            orm::session s(engine);
            (void)s.add(Author{.name = "Bob"});
            {
                auto nested = s.begin_nested();          // flushes Bob, then SAVEPOINT
                (void)s.add(Author{.name = "Carol"});
                s.flush();
                nested.rollback();                       // Carol is expunged, Bob stays
            }
            std::cout << "authors after the savepoint: " << s.all<Author>().size() << '\n';
            s.commit();
        }

        // run_transaction: a fresh transaction, committed, retried on deadlock/busy errors.
        orm::session s(engine);
        s.run_transaction([&](orm::session& tx) {
            Author* ada = tx.get<Author>(1);
            (void)tx.add(Note{.author_id = ada->id, .text = "written in run_transaction"});
        });
        std::cout << "notes: " << s.all<Note>().size() << '\n';
    } catch (const orm::error& e) {
        std::cerr << "error: " << e.what() << '\n';
        return 1;
    }
}
