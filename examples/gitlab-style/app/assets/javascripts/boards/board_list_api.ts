// @feature_category team_planning
// Board lists are part of issue boards (Plan / Project Management), so this client is attributed
// by annotation rather than by a path rule.
import axios from '~/lib/utils/axios_utils';

export interface BoardList {
  id: number;
  title: string;
  position: number;
  listType: 'backlog' | 'label' | 'closed';
}

// @endpoint "GET /-/boards/:board_id/lists"
export async function fetchBoardLists(boardsEndpoint: string, boardId: number): Promise<BoardList[]> {
  const { data } = await axios.get<BoardList[]>(`${boardsEndpoint}/${boardId}/lists`);
  return data.sort((a, b) => a.position - b.position);
}

export async function moveList(listsEndpoint: string, listId: number, position: number): Promise<void> {
  await axios.put(`${listsEndpoint}/${listId}`, { list: { position } });
}
