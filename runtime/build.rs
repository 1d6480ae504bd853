//! `sqlx::migrate!` embeds the migrations at compile time, but a procedural macro cannot tell
//! cargo which files it read: without this, a new migration file would not rebuild the crate.

fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
