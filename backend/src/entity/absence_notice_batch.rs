use sea_orm::entity::prelude::*;

/// A pupil's unexcused absence on a day, gathered until `due_at` and then told to the guardians
/// (see the migration). Open while `composed_at` is empty.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "absence_notice_batch")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub municipality_id: Uuid,
    pub pupil_id: Uuid,
    pub on_date: Date,
    /// 1, 2, … per pupil and day.
    pub sequence: i32,
    pub due_at: DateTimeUtc,
    pub composed_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
