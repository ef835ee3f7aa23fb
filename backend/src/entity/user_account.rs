use sea_orm::entity::prelude::*;

#[derive(Clone, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "user_account")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub municipality_id: Uuid,
    pub person_id: Uuid,
    pub username: String,
    /// Argon2id PHC string; none for an account that logs in with BankID only.
    pub password_hash: Option<String>,
    pub must_change_password: bool,
    pub created_at: DateTimeUtc,
    pub password_changed_at: Option<DateTimeUtc>,
    pub last_login_at: Option<DateTimeUtc>,
    /// The confirmed TOTP secret (base32), when one-time codes are on (`auth::totp`).
    pub totp_secret: Option<String>,
    /// A secret shown in set-up and not yet confirmed.
    pub totp_pending_secret: Option<String>,
    /// The last time step a code was accepted for (replay protection).
    pub totp_last_step: Option<i64>,
}

// Not derived: neither the username nor the hash belongs in a log.
impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserAccount")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::person::Entity",
        from = "Column::PersonId",
        to = "super::person::Column::Id"
    )]
    Person,
}

impl Related<super::person::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Person.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
