# frozen_string_literal: true

class Projects::MilestonesController < Projects::ApplicationController
  include Gitlab::Utils::StrongMemoize
  include MilestoneActions

  before_action :milestone, only: [:edit, :update, :destroy, :show]
  before_action :authorize_admin_milestone!, except: [:index, :show]

  # Deliberate mistake for `budget-lens lint`: a typo of :team_planning.
  feature_category :team_planing
  urgency :low

  def index
    @milestones = MilestonesFinder.new(search_params).execute.page(params[:page])
  end

  def show
    @milestone_merge_requests = @milestone.sorted_merge_requests(current_user)
  end

  def update
    @milestone = Milestones::UpdateService.new(project, current_user, milestone_params).execute(milestone)
    redirect_to project_milestone_path(@project, @milestone)
  end

  private

  def milestone
    @milestone ||= @project.milestones.find_by_iid(params[:id])
  end

  def milestone_params
    params.require(:milestone).permit(:description, :due_date, :start_date, :state_event, :title)
  end
end
