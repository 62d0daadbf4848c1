# frozen_string_literal: true

module API
  class Issues < ::API::Base
    include PaginationParams
    helpers Helpers::IssuesHelpers

    before { authenticate_non_get! }

    feature_category :team_planning
    urgency :low

    resource :projects, requirements: API::NAMESPACE_OR_PROJECT_REQUIREMENTS do
      desc 'Get a list of project issues'
      params do
        use :issues_params
      end
      get ':id/issues' do
        issues = paginate(find_issues(project_id: user_project.id))
        present issues, with: Entities::Issue, current_user: current_user
      end

      desc 'Get a single project issue'
      get ':id/issues/:issue_iid', urgency: :medium do
        issue = find_project_issue(params[:issue_iid])
        present issue, with: Entities::Issue, current_user: current_user, project: user_project
      end

      desc 'Create a new project issue'
      post ':id/issues' do
        issue = ::Issues::CreateService.new(container: user_project, current_user: current_user, params: declared_params).execute[:issue]
        present issue, with: Entities::Issue, current_user: current_user
      end

      namespace ':id/issues/:issue_iid' do
        desc 'Move an existing issue'
        post 'move' do
          issue = find_project_issue(params[:issue_iid])
          present ::Issues::MoveService.new(container: user_project, current_user: current_user).execute(issue, params[:to_project_id]), with: Entities::Issue
        end

        desc 'List issues created by email through the Service Desk'
        get 'service_desk_emails', feature_category: :service_desk do
          present paginate(find_project_issue(params[:issue_iid]).issue_email_participants), with: Entities::IssueEmailParticipant
        end
      end
    end
  end
end
