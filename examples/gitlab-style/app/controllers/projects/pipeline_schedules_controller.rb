# frozen_string_literal: true

class Projects::PipelineSchedulesController < Projects::ApplicationController
  before_action :schedule, except: [:index, :new, :create]
  before_action :authorize_read_pipeline_schedule!

  feature_category :continuous_integration
  # Deliberate mistake for `budget-lens lint`: urgencies are high, medium, default, low.
  urgency :urgent, [:play]

  def index
    @schedules = Ci::PipelineSchedulesFinder.new(@project).execute(scope: params[:scope])
  end

  def play
    job_id = RunPipelineScheduleWorker.perform_async(schedule.id, current_user.id)
    flash[:notice] = job_id ? _('Successfully scheduled a pipeline to run.') : _('Unable to schedule a pipeline to run immediately.')
    redirect_to pipeline_schedules_path(@project)
  end

  private

  def schedule
    @schedule ||= project.pipeline_schedules.find(params[:id])
  end
end
