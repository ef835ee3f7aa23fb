use sea_orm::entity::prelude::*;

/// A person admitted to the portal. Personal data: never log anything but `id`.
#[derive(Clone, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "person")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub municipality_id: Uuid,
    pub external_id: Option<String>,
    pub personnummer: String,
    pub given_name: String,
    pub family_name: String,
    pub birth_date: Date,
    pub street: Option<String>,
    pub postal_code: Option<String>,
    pub city: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub school_email: Option<String>,
    /// The day the source system stopped listing the person (the sync then ended their
    /// relations); `None` while it lists them, and for a person the portal made itself.
    pub unlisted_since: Option<Date>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

// Deliberately not derived: a `{:?}` of a person must not print personal data into a log.
impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Person")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
