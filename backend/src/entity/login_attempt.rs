use sea_orm::entity::prelude::*;

/// One password login attempt, for throttling (`auth::throttle`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "login_attempt")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// SHA-256 of the username asked for (known or not).
    pub account_hash: String,
    /// SHA-256 of the client address.
    pub address_hash: String,
    /// The trusted browser the attempt came from (a valid device cookie for the account).
    pub device_id: Option<Uuid>,
    pub attempted_at: DateTimeUtc,
    pub succeeded: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
