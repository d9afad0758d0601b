// Dry tests: model -> exact DDL text, per dialect.
#include <catch2/catch.hpp>

#include "../support/models.hpp"
#include "../support/store_models.hpp"

using namespace models;
using strings = std::vector<std::string>;

namespace {
const auto mysql = orm::make_mysql_dialect();
const auto sqlite = orm::make_sqlite_dialect();
}  // namespace

TEST_CASE("mysql dialect: CREATE TABLE for the default-mapped Author", "[ddl]") {
    CHECK(mysql->create_table_ddl(orm::table_of<Author>()) ==
          strings{"CREATE TABLE IF NOT EXISTS `author` (`id` BIGINT NOT NULL AUTO_INCREMENT, `name` TEXT NOT NULL, "
                  "`email` TEXT, PRIMARY KEY (`id`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"});
}

TEST_CASE("sqlite dialect: CREATE TABLE for the default-mapped Author", "[ddl]") {
    CHECK(sqlite->create_table_ddl(orm::table_of<Author>()) ==
          strings{"CREATE TABLE IF NOT EXISTS \"author\" (\"id\" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "
                  "\"name\" TEXT NOT NULL, \"email\" TEXT)"});
}

TEST_CASE("mysql dialect: Book with length, index, unique and a cascading foreign key", "[ddl]") {
    CHECK(mysql->create_table_ddl(orm::table_of<Book>()) ==
          strings{"CREATE TABLE IF NOT EXISTS `books` (`id` BIGINT NOT NULL AUTO_INCREMENT, `author_id` BIGINT NOT NULL, "
                  "`title` VARCHAR(200) NOT NULL, `price` DOUBLE NOT NULL, `isbn` VARCHAR(13) UNIQUE, PRIMARY KEY (`id`), "
                  "INDEX `ix_books_title` (`title`), CONSTRAINT `fk_books_author_id` FOREIGN KEY (`author_id`) "
                  "REFERENCES `author` (`id`) ON DELETE CASCADE) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"});
}

TEST_CASE("sqlite dialect: Book with the index as a separate CREATE INDEX IF NOT EXISTS", "[ddl]") {
    CHECK(sqlite->create_table_ddl(orm::table_of<Book>()) ==
          strings{"CREATE TABLE IF NOT EXISTS \"books\" (\"id\" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "
                  "\"author_id\" INTEGER NOT NULL, \"title\" VARCHAR(200) NOT NULL, \"price\" REAL NOT NULL, "
                  "\"isbn\" VARCHAR(13) UNIQUE, CONSTRAINT \"fk_books_author_id\" FOREIGN KEY (\"author_id\") "
                  "REFERENCES \"author\" (\"id\") ON DELETE CASCADE)",
                  "CREATE INDEX IF NOT EXISTS \"ix_books_title\" ON \"books\" (\"title\")"});
}

TEST_CASE("composite key, renamed column, server default and a named multi-column index", "[ddl]") {
    CHECK(mysql->create_table_ddl(orm::table_of<OrderLine>()) ==
          strings{"CREATE TABLE IF NOT EXISTS `order_lines` (`order_id` BIGINT NOT NULL, `number` INT NOT NULL, "
                  "`sku` VARCHAR(255) NOT NULL, `qty` INT NOT NULL DEFAULT 1, PRIMARY KEY (`order_id`, `number`), "
                  "INDEX `ix_order_lines_sku_qty` (`sku`, `qty`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"});
    CHECK(sqlite->create_table_ddl(orm::table_of<OrderLine>()) ==
          strings{"CREATE TABLE IF NOT EXISTS \"order_lines\" (\"order_id\" INTEGER NOT NULL, \"number\" INTEGER NOT NULL, "
                  "\"sku\" VARCHAR(255) NOT NULL, \"qty\" INTEGER NOT NULL DEFAULT 1, PRIMARY KEY (\"order_id\", \"number\"))",
                  "CREATE INDEX IF NOT EXISTS \"ix_order_lines_sku_qty\" ON \"order_lines\" (\"sku\", \"qty\")"});
}

TEST_CASE("self-referencing foreign key with ON DELETE SET NULL and a declared non-id key", "[ddl]") {
    CHECK(mysql->create_table_ddl(orm::table_of<Category>()) ==
          strings{"CREATE TABLE IF NOT EXISTS `category` (`code` INT NOT NULL, `parent_code` INT, "
                  "`label` VARCHAR(50) NOT NULL UNIQUE, PRIMARY KEY (`code`), CONSTRAINT `fk_category_parent_code` "
                  "FOREIGN KEY (`parent_code`) REFERENCES `category` (`code`) ON DELETE SET NULL) "
                  "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"});
    CHECK(sqlite->create_table_ddl(orm::table_of<Category>()) ==
          strings{"CREATE TABLE IF NOT EXISTS \"category\" (\"code\" INTEGER NOT NULL, \"parent_code\" INTEGER, "
                  "\"label\" VARCHAR(50) NOT NULL UNIQUE, PRIMARY KEY (\"code\"), CONSTRAINT \"fk_category_parent_code\" "
                  "FOREIGN KEY (\"parent_code\") REFERENCES \"category\" (\"code\") ON DELETE SET NULL)"});
}

TEST_CASE("every supported C++ type maps to the expected column type", "[ddl]") {
    const orm::table_info& t = orm::table_of<Everything>();
    strings mysql_types, sqlite_types;
    for (const auto& c : t.columns) {
        mysql_types.push_back(c.name + " " + mysql->column_type(c) + (c.nullable ? "" : " NOT NULL"));
        sqlite_types.push_back(c.name + " " + sqlite->column_type(c));
    }
    CHECK(mysql_types == strings{"id BIGINT NOT NULL", "flag BOOLEAN NOT NULL", "i8 TINYINT NOT NULL",
                                 "u8 TINYINT UNSIGNED NOT NULL", "i16 SMALLINT NOT NULL", "u16 SMALLINT UNSIGNED NOT NULL",
                                 "i32 INT NOT NULL", "u32 INT UNSIGNED NOT NULL", "i64 BIGINT NOT NULL",
                                 "u64 BIGINT UNSIGNED NOT NULL", "f32 FLOAT NOT NULL", "f64 DOUBLE NOT NULL",
                                 "text TEXT NOT NULL", "short_text VARCHAR(5) NOT NULL", "bytes LONGBLOB NOT NULL",
                                 "octets LONGBLOB NOT NULL", "at DATETIME NOT NULL", "at_us DATETIME(6) NOT NULL",
                                 "day DATE NOT NULL", "color TINYINT UNSIGNED NOT NULL", "level BIGINT NOT NULL",
                                 "maybe_int INT", "maybe_text TEXT", "maybe_at DATETIME", "maybe_color TINYINT UNSIGNED"});
    CHECK(sqlite_types == strings{"id INTEGER", "flag BOOLEAN", "i8 INTEGER", "u8 INTEGER", "i16 INTEGER", "u16 INTEGER",
                                  "i32 INTEGER", "u32 INTEGER", "i64 INTEGER", "u64 BIGINT UNSIGNED", "f32 REAL",
                                  "f64 REAL", "text TEXT", "short_text VARCHAR(5)", "bytes BLOB", "octets BLOB",
                                  "at TEXT", "at_us TEXT", "day TEXT", "color INTEGER", "level INTEGER",
                                  "maybe_int INTEGER", "maybe_text TEXT", "maybe_at TEXT", "maybe_color INTEGER"});
}

TEST_CASE("TIME, UUID, BINARY(n) and DATETIME(3) column types", "[ddl]") {
    CHECK(mysql->create_table_ddl(orm::table_of<Extras>()) ==
          strings{"CREATE TABLE IF NOT EXISTS `extras` (`id` BIGINT NOT NULL AUTO_INCREMENT, `span` TIME NOT NULL, "
                  "`precise` TIME(6) NOT NULL, `clock` TIME NOT NULL, `token` BINARY(16) NOT NULL, `tag` BINARY(4) NOT NULL, "
                  "`maybe_token` BINARY(16), `at_ms` DATETIME(3) NOT NULL, `note` TEXT NOT NULL, `mood` VARCHAR(10) NOT NULL, "
                  "`maybe_mood` VARCHAR(10), PRIMARY KEY (`id`)) "
                  "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"});
    CHECK(sqlite->create_table_ddl(orm::table_of<Extras>()) ==
          strings{"CREATE TABLE IF NOT EXISTS \"extras\" (\"id\" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, \"span\" TEXT NOT NULL, "
                  "\"precise\" TEXT NOT NULL, \"clock\" TEXT NOT NULL, \"token\" BLOB NOT NULL, \"tag\" BLOB NOT NULL, "
                  "\"maybe_token\" BLOB, \"at_ms\" TEXT NOT NULL, \"note\" TEXT NOT NULL, \"mood\" VARCHAR(10) NOT NULL, "
                  "\"maybe_mood\" VARCHAR(10))"});
}

TEST_CASE("custom types take their column type from their one specialisation", "[ddl]") {
    CHECK(mysql->create_table_ddl(orm::table_of<Wallet>()) ==
          strings{"CREATE TABLE IF NOT EXISTS `wallet` (`id` BIGINT NOT NULL AUTO_INCREMENT, `balance` BIGINT NOT NULL, "
                  "`last_ip` INT UNSIGNED NOT NULL, `limit` BIGINT, PRIMARY KEY (`id`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"});
}

TEST_CASE("decimals: DECIMAL(p, s) on MySQL, scaled integers (or exact text past 18 digits) on SQLite", "[ddl]") {
    CHECK(mysql->create_table_ddl(orm::table_of<Invoice>()) ==
          strings{"CREATE TABLE IF NOT EXISTS `invoice` (`id` BIGINT NOT NULL AUTO_INCREMENT, `total` DECIMAL(12, 2) NOT NULL, "
                  "`discount` DECIMAL(38, 10), PRIMARY KEY (`id`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"});
    CHECK(sqlite->create_table_ddl(orm::table_of<Invoice>()) ==
          strings{"CREATE TABLE IF NOT EXISTS \"invoice\" (\"id\" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "
                  "\"total\" SCALED_DECIMAL(12, 2) NOT NULL, \"discount\" TEXT)"});
}

TEST_CASE("JSON columns and TIMESTAMP on request", "[ddl]") {
    CHECK(mysql->create_table_ddl(orm::table_of<Event>()) ==
          strings{"CREATE TABLE IF NOT EXISTS `event` (`id` BIGINT NOT NULL AUTO_INCREMENT, `payload` JSON NOT NULL, `raw` JSON, "
                  "`seen` TIMESTAMP NOT NULL, PRIMARY KEY (`id`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"});
    CHECK(sqlite->create_table_ddl(orm::table_of<Event>()) ==
          strings{"CREATE TABLE IF NOT EXISTS \"event\" (\"id\" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "
                  "\"payload\" TEXT NOT NULL CHECK (json_valid(\"payload\")), \"raw\" TEXT CHECK (json_valid(\"raw\")), "
                  "\"seen\" TEXT NOT NULL)"});
}

TEST_CASE("declared string sizes pick VARCHAR, MEDIUMTEXT or LONGTEXT on MySQL", "[ddl]") {
    orm::column_info c;
    c.type = orm::type_traits<std::string>::sql;
    c.length = 16383;
    CHECK(mysql->column_type(c) == "VARCHAR(16383)");
    c.length = 16384;
    CHECK(mysql->column_type(c) == "MEDIUMTEXT");
    CHECK(mysql->enforces_length(c) == false);  // orm checks the declared 16384 itself
    c.length = 100'000'000;
    CHECK(mysql->column_type(c) == "LONGTEXT");
    CHECK(sqlite->column_type(c) == "VARCHAR(100000000)");
}

TEST_CASE("create_all orders tables parents first, whatever order they are named in", "[ddl]") {
    const auto ddl = orm::create_all_ddl(*sqlite, {&orm::table_of<Book>(), &orm::table_of<Category>(), &orm::table_of<Author>()});
    REQUIRE(ddl.size() == 4);
    CHECK(ddl[0].starts_with("CREATE TABLE IF NOT EXISTS \"author\""));
    CHECK(ddl[1].starts_with("CREATE TABLE IF NOT EXISTS \"books\""));
    CHECK(ddl[2] == "CREATE INDEX IF NOT EXISTS \"ix_books_title\" ON \"books\" (\"title\")");
    CHECK(ddl[3].starts_with("CREATE TABLE IF NOT EXISTS \"category\""));
}

TEST_CASE("DROP TABLE and CREATE INDEX statements", "[ddl]") {
    CHECK(mysql->compile(orm::sql::drop_table_statement{"books", true}).text == "DROP TABLE IF EXISTS `books`");
    CHECK(sqlite->compile(orm::sql::drop_table_statement{"books", false}).text == "DROP TABLE \"books\"");
    CHECK(sqlite->compile(orm::sql::create_index_statement{"books", "uq_x", {"a", "b"}, true, true}).text ==
          "CREATE UNIQUE INDEX IF NOT EXISTS \"uq_x\" ON \"books\" (\"a\", \"b\")");
}

TEST_CASE("table and column options: each backend reads its own and ignores the others'", "[ddl]") {
    CHECK(mysql->create_table_ddl(orm::table_of<store::Label>()) ==
          strings{"CREATE TABLE IF NOT EXISTS `label` (`id` BIGINT NOT NULL AUTO_INCREMENT, `exact` VARCHAR(20) NOT NULL, "
                  "`folded` VARCHAR(20) COLLATE utf8mb4_general_ci NOT NULL, PRIMARY KEY (`id`)) "
                  "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin"});
    CHECK(sqlite->create_table_ddl(orm::table_of<store::Label>()) ==
          strings{"CREATE TABLE IF NOT EXISTS \"label\" (\"id\" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "
                  "\"exact\" VARCHAR(20) COLLATE BINARY NOT NULL, \"folded\" VARCHAR(20) COLLATE NOCASE NOT NULL)"});
    CHECK(mysql->create_table_ddl(orm::table_of<store::Setting>()) ==
          strings{"CREATE TABLE IF NOT EXISTS `setting` (`key` VARCHAR(40) NOT NULL, `number` BIGINT NOT NULL, `text` TEXT, "
                  "`amount` DECIMAL(10, 2) NOT NULL, PRIMARY KEY (`key`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 ROW_FORMAT=DYNAMIC"});
    // STRICT: INTEGER, REAL, TEXT or BLOB columns; WITHOUT ROWID: stored by the key.
    CHECK(sqlite->create_table_ddl(orm::table_of<store::Setting>()) ==
          strings{"CREATE TABLE IF NOT EXISTS \"setting\" (\"key\" TEXT NOT NULL, \"number\" INTEGER NOT NULL, \"text\" TEXT, "
                  "\"amount\" INTEGER NOT NULL, PRIMARY KEY (\"key\")) WITHOUT ROWID, STRICT"});
}

namespace option_mistakes {
struct Keyed {
    std::int64_t id = 0;
    std::string name;
};
struct BadEngine {
    std::int64_t id = 0;
};
struct Unsigned {
    std::int64_t id = 0;
    std::uint64_t big = 0;
};
}  // namespace option_mistakes
template <>
struct orm::model<option_mistakes::Keyed> {
    static constexpr auto options = orm::table_options(orm::sqlite::without_rowid);  // with an auto-increment `id`
};
template <>
struct orm::model<option_mistakes::BadEngine> {
    static constexpr auto options = orm::table_options(orm::mysql::engine("InnoDB; DROP TABLE x"));
};
template <>
struct orm::model<option_mistakes::Unsigned> {
    static constexpr auto options = orm::table_options(orm::sqlite::strict);
};

TEST_CASE("table options that cannot work are refused with the reason", "[ddl][mapping]") {
    CHECK_THROWS_WITH(orm::table_of<option_mistakes::Keyed>(), Catch::Contains("WITHOUT ROWID table has no auto-increment key"));
    CHECK_THROWS_WITH(orm::table_of<option_mistakes::BadEngine>(), Catch::Contains("is not a name"));
    CHECK_THROWS_WITH(sqlite->create_table_ddl(orm::table_of<option_mistakes::Unsigned>()), Catch::Contains("STRICT"));
    CHECK_NOTHROW(mysql->create_table_ddl(orm::table_of<option_mistakes::Unsigned>()));  // SQLite's option: ignored there
}
