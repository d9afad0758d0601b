#pragma once
// Models with relationships, shared by the dry and behavioural tests:
// writer -> novels -> reviews (three levels), a self-referential staff tree,
// a shelf whose items' optional key is set to NULL when they leave it, and a
// playlist whose songs load with it (orm::load::selectin).
#include <cstdint>
#include <optional>
#include <string>

#include <orm/orm.hpp>

namespace rel {

struct Novel;
struct Review;
struct Item;

// [relationship-structs]
struct Writer {
    std::int64_t id = 0;
    std::string name;
    orm::collection<Novel> novels;
};

struct Novel {
    std::int64_t id = 0;
    std::int64_t writer_id = 0;
    std::string title;
    orm::to_one<Writer> writer;
    orm::collection<Review> reviews;
};

struct Review {
    std::int64_t id = 0;
    std::int64_t novel_id = 0;
    std::int32_t stars = 0;
    orm::to_one<Novel> novel;  // load::raise: reached only when already loaded
};
// [/relationship-structs]

// [staff-struct]
/// Employee -> manager, manager -> reports (one table).
struct Staff {
    std::int64_t id = 0;
    std::optional<std::int64_t> manager_id;
    std::string name;
    orm::to_one<Staff> manager;
    orm::collection<Staff> reports;
};
// [/staff-struct]

// [passive-structs]
/// A one-to-many without a many-to-one on the other side; the child's key is optional, and
/// removing a shelf leaves its items to the database's ON DELETE CASCADE.
struct Shelf {
    std::int64_t id = 0;
    std::string name;
    orm::collection<Item> items;
};

struct Item {
    std::int64_t id = 0;
    std::optional<std::int64_t> shelf_id;
    std::string label;
};
// [/passive-structs]

// [partner-struct]
/// Two rows that point at each other: inserted with NULL keys, then updated (orm::post_update).
struct Partner {
    std::int64_t id = 0;
    std::optional<std::int64_t> partner_id;
    std::string name;
    orm::to_one<Partner> partner;
};
// [/partner-struct]

struct Song;

// [selectin-structs]
/// A playlist's songs load with the playlist (declared orm::load::selectin).
struct Playlist {
    std::int64_t id = 0;
    std::string name;
    orm::collection<Song> songs;
};

struct Song {
    std::int64_t id = 0;
    std::int64_t playlist_id = 0;
    std::string title;
    orm::to_one<Playlist> playlist;
};
// [/selectin-structs]

}  // namespace rel

// [relationship-models]
template <>
struct orm::model<rel::Writer> {
    static constexpr auto relationships =
        orm::relationships(orm::one_to_many(&rel::Writer::novels, &rel::Novel::writer_id, orm::back_populates(&rel::Novel::writer), orm::cascade::remove));
};

template <>
struct orm::model<rel::Novel> {
    static constexpr auto relationships = orm::relationships(
        orm::many_to_one(&rel::Novel::writer, &rel::Novel::writer_id, orm::back_populates(&rel::Writer::novels)),
        orm::one_to_many(&rel::Novel::reviews, &rel::Review::novel_id, orm::back_populates(&rel::Review::novel), orm::cascade::remove,
                         orm::cascade::delete_orphan));
};

template <>
struct orm::model<rel::Review> {
    static constexpr auto relationships =
        orm::relationships(orm::many_to_one(&rel::Review::novel, &rel::Review::novel_id, orm::back_populates(&rel::Novel::reviews), orm::load::raise));
};
// [/relationship-models]

// [staff-model]
template <>
struct orm::model<rel::Staff> {
    static constexpr auto relationships =
        orm::relationships(orm::many_to_one(&rel::Staff::manager, &rel::Staff::manager_id, orm::back_populates(&rel::Staff::reports)),
                           orm::one_to_many(&rel::Staff::reports, &rel::Staff::manager_id, orm::back_populates(&rel::Staff::manager)));
};
// [/staff-model]

// [passive-model]
template <>
struct orm::model<rel::Shelf> {
    static constexpr auto relationships =
        orm::relationships(orm::one_to_many(&rel::Shelf::items, &rel::Item::shelf_id, orm::cascade::remove, orm::passive_deletes));
};

template <>
struct orm::model<rel::Item> {
    static constexpr auto columns = orm::columns(orm::foreign_key(&rel::Item::shelf_id, &rel::Shelf::id, orm::on_delete::cascade));
};
// [/passive-model]

// [selectin-model]
template <>
struct orm::model<rel::Playlist> {
    static constexpr auto relationships = orm::relationships(
        orm::one_to_many(&rel::Playlist::songs, &rel::Song::playlist_id, orm::back_populates(&rel::Song::playlist), orm::load::selectin));
};

template <>
struct orm::model<rel::Song> {
    static constexpr auto relationships =
        orm::relationships(orm::many_to_one(&rel::Song::playlist, &rel::Song::playlist_id, orm::back_populates(&rel::Playlist::songs)));
};
// [/selectin-model]

// [partner-model]
template <>
struct orm::model<rel::Partner> {
    static constexpr auto relationships =
        orm::relationships(orm::many_to_one(&rel::Partner::partner, &rel::Partner::partner_id, orm::post_update));
};
// [/partner-model]
