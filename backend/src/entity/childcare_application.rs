use sea_orm::entity::prelude::*;
pub use skolportal_shared::api::ApplicationStatus;

/// A guardian's application for a childcare place.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "childcare_application")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub municipality_id: Uuid,
    pub child_id: Uuid,
    pub applicant_person_id: Uuid,
    pub wished_start: Date,
    pub first_unit_id: Uuid,
    pub second_unit_id: Option<Uuid>,
    pub third_unit_id: Option<Uuid>,
    pub hours_per_week: i32,
    pub applied_on: Date,
    pub status: ApplicationStatus,
    pub created_at: DateTimeUtc,
}

impl Model {
    /// The wished units, first choice first.
    pub fn unit_ids(&self) -> Vec<Uuid> {
        std::iter::once(self.first_unit_id)
            .chain(self.second_unit_id)
            .chain(self.third_unit_id)
            .collect()
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
