use sea_orm::entity::prelude::*;

/// Append-only; the database refuses updates and deletes. The personal fields are one sealed
/// value (`population::keys` reads and writes it; `skolportal_migration::sealing` is the format).
#[derive(Clone, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "signature_evidence")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub municipality_id: Uuid,
    pub document_id: Uuid,
    /// The signer's `person_key.pseudonym`.
    pub signer_pseudonym: Uuid,
    /// The pseudonyms whose secrets seal `sealed`, in order (signer, owner, child).
    pub key_refs: String,
    pub sealed: String,
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
