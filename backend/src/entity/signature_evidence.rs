use sea_orm::entity::prelude::*;

/// Append-only; the database refuses updates and deletes.
#[derive(Clone, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "signature_evidence")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub municipality_id: Uuid,
    pub document_id: Uuid,
    pub signer_person_id: Uuid,
    pub personnummer: String,
    pub text_shown: String,
    pub document_bytes: String,
    pub document_sha256: String,
    /// The ID token as received (the JWS).
    pub id_token: String,
    pub user_signature: String,
    pub acr: String,
    pub auth_time: DateTimeUtc,
    pub signed_at: DateTimeUtc,
}

impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignatureEvidence")
            .field("id", &self.id)
            .field("document_id", &self.document_id)
            .finish_non_exhaustive()
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
