export function ResumeFollow({ newLines, onResume }: { newLines: number; onResume(): void }) {
  return (
    <button type="button" className="resume" onClick={onResume}>
      Resume following ({newLines} new)
    </button>
  );
}
