use sea_orm::entity::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum DutyRole {
    #[sea_orm(string_value = "teacher")]
    Teacher,
    #[sea_orm(string_value = "preschool_staff")]
    PreschoolStaff,
    #[sea_orm(string_value = "principal")]
    Principal,
    #[sea_orm(string_value = "officer")]
    Officer,
}

#[derive(Clone, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "duty")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub municipality_id: Uuid,
    pub person_id: Uuid,
    pub unit_id: Option<Uuid>,
    pub role: DutyRole,
    pub start_date: Date,
    pub end_date: Option<Date>,
    /// How the school's families and colleagues reach them at this unit (the staff list).
    pub work_phone: Option<String>,
    pub work_email: Option<String>,
}

// Hand-written: the work phone and e-mail are the staff member's personal data.
impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Duty")
            .field("id", &self.id)
            .field("role", &self.role)
            .finish_non_exhaustive()
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
