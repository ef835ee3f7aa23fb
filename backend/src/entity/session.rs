use sea_orm::entity::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum AuthMethod {
    #[sea_orm(string_value = "password")]
    Password,
    #[sea_orm(string_value = "bankid")]
    Bankid,
}

/// How strongly a session logged in, weakest first (DOMAIN.md rule 11). The policy declares
/// the strength each action needs (`policy::PolicyAction::required_strength`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(24))")]
pub enum LoginStrength {
    #[sea_orm(string_value = "password")]
    Password,
    /// A password and a one-time code (TOTP) or a recovery code.
    #[sea_orm(string_value = "password_and_totp")]
    PasswordAndTotp,
    #[sea_orm(string_value = "bankid")]
    Bankid,
}

impl From<LoginStrength> for skolportal_shared::api::LoginStrength {
    fn from(strength: LoginStrength) -> Self {
        match strength {
            LoginStrength::Password => Self::Password,
            LoginStrength::PasswordAndTotp => Self::PasswordAndTotp,
            LoginStrength::Bankid => Self::Bankid,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "session")]
pub struct Model {
    /// SHA-256 (hex) of the cookie token.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub municipality_id: Uuid,
    pub person_id: Uuid,
    pub auth_method: AuthMethod,
    pub must_change_password: bool,
    pub created_at: DateTimeUtc,
    pub last_seen_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    pub ended_at: Option<DateTimeUtc>,
    /// Set at login; a step-up raises it on the same session.
    pub login_strength: LoginStrength,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
