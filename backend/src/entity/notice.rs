use sea_orm::entity::prelude::*;
pub use skolportal_shared::api::NoticeKind as Kind;

/// What one person was told: always in the app, and by the channels they chose.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notice")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub municipality_id: Uuid,
    pub recipient_id: Uuid,
    pub child_id: Uuid,
    pub kind: Kind,
    pub on_date: Date,
    /// The last day, for a notice about several days (a leave decision).
    pub until_date: Option<Date>,
    /// `Vec<skolportal_shared::api::NoticeLesson>`, as composed.
    pub lessons: Json,
    pub batch_id: Option<Uuid>,
    pub leave_application_id: Option<Uuid>,
    /// `skolportal_shared::api::NoticeTalk`: the talk a reminder is about, as it stood.
    pub talk: Option<Json>,
    pub created_at: DateTimeUtc,
    pub read_at: Option<DateTimeUtc>,
    pub email_sent_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
