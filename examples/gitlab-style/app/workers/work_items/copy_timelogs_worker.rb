# frozen_string_literal: true

module WorkItems
  class CopyTimelogsWorker
    include ApplicationWorker

    data_consistency :delayed
    feature_category :team_planning
    urgency :high
    idempotent!

    BATCH_SIZE = 100

    def perform(from_issue_id, to_issue_id)
      from_issue = Issue.find_by_id(from_issue_id)
      to_issue = Issue.find_by_id(to_issue_id)
      return unless from_issue && to_issue

      from_issue.timelogs.each_batch(of: BATCH_SIZE) do |timelogs|
        ::Timelog.insert_all(timelogs.map { |t| t.attributes.except('id').merge('issue_id' => to_issue.id) })
      end
    end
  end
end
